package io.kchat.delivery.loop;

/** A batch could not be handled now (the database is unreachable, a deadlock...): read it again later. */
public final class RetryBatchException extends Exception {

    public RetryBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
