package io.kchat.gateway.otp;

/** A text message the provider did not accept (unreachable, timed out, refused). */
public class SmsDeliveryException extends Exception {
    public SmsDeliveryException(String message) {
        super(message);
    }

    public SmsDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
