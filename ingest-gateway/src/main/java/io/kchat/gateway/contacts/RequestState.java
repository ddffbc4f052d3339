package io.kchat.gateway.contacts;

import java.util.Locale;

/** contact_requests.state: a request is pending until its recipient (or a block) decides it, once. */
enum RequestState {
    PENDING, ACCEPTED, DECLINED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RequestState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
