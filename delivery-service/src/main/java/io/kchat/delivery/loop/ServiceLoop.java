package io.kchat.delivery.loop;

/**
 * A worker of the delivery-service running on its own thread until {@link #stop()}; it closes what it
 * owns (its consumer) when {@link #run()} returns, and throws from it only on a fatal error.
 */
public interface ServiceLoop extends Runnable {

    /** Asks the loop to finish what it is doing and return; callable from any thread. */
    void stop();
}
