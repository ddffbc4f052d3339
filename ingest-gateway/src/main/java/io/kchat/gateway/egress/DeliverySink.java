package io.kchat.gateway.egress;

/** Where the egress hands the items routed to this node's sessions. */
@FunctionalInterface
public interface DeliverySink {

    /**
     * @param sessionId the session named by a route to this node; unknown sessions are ignored
     * @param item      a LoggedEvent, ReplayStarted, ReplayFinished or ReplayGap, or an ephemeral Typing,
     *                  PresenceChanged or AssistantStream; anything else is logged and dropped by the session
     */
    void deliver(String sessionId, Object item);
}
