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
 *
 * <p>The other user must be a person: the assistant's user is no one to ask, block, write to directly or add to a
 * group, and is refused as if it did not exist.
 */
public final class PairLock {

    private final UserStore users = new UserStore();

    /**
     * @return false when {@code otherUserId} does not exist or is not a person ({@code actorId} is the caller, who
     *         is one)
     */
    public boolean lock(Connection connection, String actorId, String otherUserId) throws SQLException {
        boolean actorFirst = actorId.compareTo(otherUserId) < 0;
        boolean first = actorFirst ? users.lock(connection, actorId) : users.lockPerson(connection, otherUserId);
        boolean second = actorFirst ? users.lockPerson(connection, otherUserId) : users.lock(connection, actorId);
        return actorFirst ? second : first;
    }
}
