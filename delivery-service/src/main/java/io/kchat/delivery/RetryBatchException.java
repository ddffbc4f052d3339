package io.kchat.delivery;

/** A batch could not be handled now (the database is unreachable, a deadlock...): read it again later. */
final class RetryBatchException extends Exception {

    RetryBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
