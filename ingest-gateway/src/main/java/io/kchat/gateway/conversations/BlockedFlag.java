package io.kchat.gateway.conversations;

import io.kchat.gateway.relations.BlockStore;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@code blocked} flag of a conversation's snapshot, read from the blocks table in the transaction that writes
 * the snapshot: true for a direct conversation whose two members a block separates (either way), false for a group,
 * where a block stops no one from posting.
 */
final class BlockedFlag {

    private final BlockStore blocks = new BlockStore();

    boolean of(Connection connection, Conversation conversation) throws SQLException {
        if (conversation.kind() != ConversationKind.DIRECT || conversation.members().size() != 2) {
            return false;
        }
        return blocks.separated(connection, conversation.members().get(0).userId(),
                conversation.members().get(1).userId());
    }
}
