package io.kchat.delivery.push;

import io.kchat.delivery.loop.ConsumerLoop;
import io.kchat.delivery.loop.ServiceLoop;

/**
 * The push sender on its consumer loop: stopping ends the sender's retry pauses first (their pushes stay claimed
 * 'sending', and their batch uncommitted), so that a stop does not wait out a minute's Retry-After.
 */
public final class PushLoop implements ServiceLoop {

    private final ConsumerLoop loop;
    private final PushSender sender;

    public PushLoop(ConsumerLoop loop, PushSender sender) {
        this.loop = loop;
        this.sender = sender;
    }

    @Override
    public void run() {
        try {
            loop.run();
        } finally {
            sender.close();
        }
    }

    @Override
    public void stop() {
        sender.stop();
        loop.stop();
    }
}
