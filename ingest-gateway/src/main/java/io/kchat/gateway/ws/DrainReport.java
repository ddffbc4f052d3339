package io.kchat.gateway.ws;

import java.time.Duration;

/**
 * What draining the sockets did, for the shutdown log.
 *
 * @param sockets          sockets open when the drain began, each closed with 1001
 * @param framesInFlight   client frames taken but not yet answered when the drain began
 * @param framesUnanswered of those, the ones still unanswered at the timeout (their clients send them again)
 * @param cut              sockets whose end did not come within the timeout, cut without a close handshake
 * @param left             sockets whose session had still not ended after they were cut
 * @param took             how long the drain took
 */
public record DrainReport(int sockets, int framesInFlight, int framesUnanswered, int cut, int left, Duration took) {
}
