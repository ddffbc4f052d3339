package io.kchat.fault;

/** One breach of a delivery guarantee found by {@link DeliveryChecker}. */
record Violation(Rule rule, String detail) {

    /** The rules, each tied to a guarantee of docs/architecture.md. */
    enum Rule {
        /** 2: an ok'd send has neither its echo (with a seq) nor a refusal at its sender. */
        SEND_UNRESOLVED,
        /** 2: an ok'd send was refused; the fault runs send only what must be accepted. */
        SEND_REFUSED,
        /** 3: the echo of a send carries another body or conversation than what was sent. */
        ECHO_MISMATCH,
        /** 2: an accepted message did not reach a device of a member. */
        MISSING_DELIVERY,
        /** 5: a device of a non-member got a message. */
        MESSAGE_TO_NON_MEMBER,
        /** 3: one client id (conversation, sender, id) was accepted under two seqs. */
        ID_UNDER_TWO_SEQS,
        /** 3: two different messages under one (conversation, seq), at the clients or in the archive. */
        CONFLICTING_SEQ_CONTENT,
        /** 3: two different events under one userSeq of a user (on one device or two). */
        CONFLICTING_USERSEQ_CONTENT,
        /** 2, D9: an accepted message is missing from the history (the archive) once the run is quiet. */
        ARCHIVE_MISSING,
        /** 1: the seqs of a conversation are not 1..n without holes. */
        SEQ_GAP,
        /** 1: a device saw a conversation's messages out of seq order (or skipping one). */
        SEQ_ORDER,
        /** 1: userSeq not strictly increasing within one connection. */
        USERSEQ_ORDER,
        /** 1, 2: an event arrived ahead of a missing one, or ready/synced claim more than the device has. */
        USERSEQ_GAP,
        /** The device's last connection never reached {@code synced}. */
        NOT_SYNCED,
        /**
         * 2: a connected device did not get what was accepted within the run's bound while it stayed connected (it
         * would have got it only after a reconnect), or a device had to reconnect to get it.
         */
        NOT_DELIVERED_LIVE,
        /**
         * 3, 5: a user's log holds other membership changes of a churned conversation than those that concerned
         * it, in the order its reference member got them (a change lost, applied twice, or an old one again).
         */
        MEMBERSHIP_CHANGES,
        /**
         * 2, 5: the membership changes applied are not those the database committed, in its order, or the last
         * one is not what the database has once the run is over.
         */
        MEMBERSHIP_DIVERGED
    }
}
