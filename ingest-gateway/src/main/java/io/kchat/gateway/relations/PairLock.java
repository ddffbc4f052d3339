package io.kchat.gateway.relations;

import io.kchat.gateway.accounts.UserStore;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Serialises the transactions that change or depend on what connects two users: a request, a block, a direct
 * conversation being created, one user adding the other to a group. Each locks both users' rows first, in id order so
 * that two of them cannot deadlock, and so sees what the other committed: a block cannot slip in between a direct
 * conversation's check for blocks and its creation. NO KEY UPDATE, like the session code's lock: foreign-key checks
 * on the rows are not blocked.
 */
public final class PairLock {

    private final UserStore users = new UserStore();

    /** @return false when {@code otherUserId} does not exist ({@code actorId} is the caller, who does) */
    public boolean lock(Connection connection, String actorId, String otherUserId) throws SQLException {
        boolean actorFirst = actorId.compareTo(otherUserId) < 0;
        boolean first = users.lock(connection, actorFirst ? actorId : otherUserId);
        boolean second = users.lock(connection, actorFirst ? otherUserId : actorId);
        return actorFirst ? second : first;
    }
}
