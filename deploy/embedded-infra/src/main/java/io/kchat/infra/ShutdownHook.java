package io.kchat.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A JVM shutdown hook that can be withdrawn once the resource it guards was closed explicitly. */
final class ShutdownHook {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHook.class);

    private final Thread thread;

    private ShutdownHook(Thread thread) {
        this.thread = thread;
    }

    static ShutdownHook register(String name, Runnable action) {
        Thread thread = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(thread);
        return new ShutdownHook(thread);
    }

    void remove() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already exiting: the hook runs anyway and finds the resource closed.
            LOG.debug("JVM shutdown in progress, keeping hook {}", thread.getName());
        }
    }
}
