package io.kchat.delivery.push;

import java.io.IOException;

/** Sends one push to where a subscription says; one implementation per subscription kind. */
interface PushTransport {

    /**
     * @throws Refused     the push cannot be sent as it stands: not worth a retry
     * @throws IOException the request failed on the way (a timeout, a reset): worth a retry
     */
    Answer send(Subscription subscription, PushPayload payload) throws Refused, IOException, InterruptedException;
}
