package io.kchat.delivery.push;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A push service's (or push gateway's) answer to one push.
 *
 * @param status     the HTTP status
 * @param retryAfter its {@code Retry-After}, if it gave a readable one
 * @param rejected   the push gateway's {@code rejected} push keys (empty for Web Push)
 */
record Answer(int status, Optional<Duration> retryAfter, List<String> rejected) {

    Answer {
        rejected = List.copyOf(rejected);
    }

    boolean accepted() {
        return status == 200 || status == 201 || status == 202;
    }

    /** RFC 8030 §7.3 and the push services' practice: the subscription is gone for good. */
    boolean gone() {
        return status == 404 || status == 410;
    }

    /** Worth another try later: too many requests, or the service failing. */
    boolean retryable() {
        return status == 429 || status >= 500;
    }
}
