package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds each session's coalescers of what a device sends often, over the endpoint's shared timers: its
 * {@code ack}s ({@link AckCoalescer}) and its {@code typing} notices ({@link TypingThrottle}), published through
 * {@link ClientCommands} and answered on the session's socket.
 */
final class SessionCoalescers {

    private final ClientCommands commands;
    private final ScheduledExecutorService timers;
    private final Duration ackInterval;
    private final Duration typingInterval;

    SessionCoalescers(ClientCommands commands, ScheduledExecutorService timers, Duration ackInterval,
                      Duration typingInterval) {
        this.commands = commands;
        this.timers = timers;
        this.ackInterval = ackInterval;
        this.typingInterval = typingInterval;
    }

    AckCoalescer acks(ClientSession session, SessionIdentity who) {
        return new AckCoalescer(userSeq -> commands.publishAck(who, userSeq), session::send, timers, ackInterval);
    }

    TypingThrottle typing(ClientSession session, SessionIdentity who) {
        return new TypingThrottle((conversationId, active) -> commands.publishTyping(who, conversationId, active),
                session::send, timers, typingInterval);
    }
}
