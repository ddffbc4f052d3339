package io.kchat.delivery.push;

/** A push that cannot be sent as it stands (an endpoint the policy refuses, unusable keys): failed, not retried. */
final class Refused extends Exception {

    Refused(String reason) {
        super(reason);
    }

    Refused(String reason, Throwable cause) {
        super(reason, cause);
    }
}
