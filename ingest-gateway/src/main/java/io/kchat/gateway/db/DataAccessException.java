package io.kchat.gateway.db;

/** A database failure the caller cannot act on: answered 500 at the edge and logged there. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
