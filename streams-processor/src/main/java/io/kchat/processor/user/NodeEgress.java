package io.kchat.processor.user;

/**
 * Whether a gateway node has an egress topic the user side may write to (D18). A route to a node without one is
 * dropped and counted, never tried: a transactional producer would wait for the missing topic's metadata and then
 * abort, and the same record would fail again on every attempt. Looked up outside the processor's deterministic
 * state (D2) on purpose: a route is a shortcut, the user's log is what is kept, and a dropped route's events are
 * replayed when the device reconnects or its gateway checks the session.
 */
@FunctionalInterface
public interface NodeEgress {

    boolean exists(String nodeId);
}
