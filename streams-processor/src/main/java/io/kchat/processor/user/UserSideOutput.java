package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.PresenceChanged;
import io.kchat.events.PushDue;

/**
 * What the user side emits for a command, one kind per topic ({@link UserLogTopology} routes them): a closed set, so
 * the processor cannot emit a value no branch takes.
 */
sealed interface UserSideOutput {

    /**
     * An item for the user's sessions on one gateway node (its routes all name that node), keyed by the user: to the
     * node's egress topic, which exists ({@link NodeEgress}).
     */
    record ForNode(Delivery delivery) implements UserSideOutput {
    }

    /** The user's first session opened or last one closed, keyed by the user: to chat.presence. */
    record PresenceChange(PresenceChanged change) implements UserSideOutput {
    }

    /** The user's delivered frontier in one conversation, keyed by that conversation: back to chat.inbound. */
    record DeliveredFrontier(InboundCommand command) implements UserSideOutput {
    }

    /** A burst of messages some of the user's devices owe after the push grace, keyed by the user: to chat.push. */
    record PushOwed(PushDue due) implements UserSideOutput {
    }
}
