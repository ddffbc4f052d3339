package io.kchat.gateway.relations;

import io.kchat.gateway.accounts.DmPolicy;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.errors.Refusal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Who may reach whom through a conversation. Every refusal is the same answer (403, reason
 * {@value #CONNECTION_REQUIRED}) whether a block or a user's {@link DmPolicy} stands in the way, and whoever placed
 * the block: the refused side cannot tell that it was blocked from a user who only talks to contacts.
 */
public final class ConnectionRules {

    public static final String CONNECTION_REQUIRED = "connection_required";

    private final BlockStore blocks = new BlockStore();
    private final ContactStore contacts = new ContactStore();
    private final UserStore users = new UserStore();

    /** A new direct conversation: no block either way, and the other's policy lets the actor in. */
    public void requireMayStartDirect(Connection connection, String actorId, String otherUserId) throws SQLException {
        requireNotSeparated(connection, actorId, otherUserId);
        DmPolicy policy = users.dmPolicy(connection, otherUserId).orElse(DmPolicy.EVERYONE);
        if (policy == DmPolicy.CONTACTS && !contacts.areContacts(connection, otherUserId, actorId)) {
            throw refused();
        }
    }

    public void requireNotSeparated(Connection connection, String actorId, String otherUserId) throws SQLException {
        if (blocks.separated(connection, actorId, otherUserId)) {
            throw refused();
        }
    }

    /** A group with, or joined by, {@code others}: none of them separated from the actor by a block. */
    public void requireNoneSeparated(Connection connection, String actorId, Collection<String> others)
            throws SQLException {
        if (!blocks.separatedFrom(connection, actorId, others).isEmpty()) {
            throw refused();
        }
    }

    private static Refusal refused() {
        return Refusal.forbidden("connection required", "this user cannot be reached this way")
                .withReason(CONNECTION_REQUIRED);
    }
}
