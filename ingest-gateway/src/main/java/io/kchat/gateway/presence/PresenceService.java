package io.kchat.gateway.presence;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Who is online. A user's presence is visible to themselves and to the users they share a conversation
 * with; to anyone else the user does not exist (404, as for an unknown id).
 *
 * <p>{@code lastSeen} of an online user is the current time (they are being seen now, so a client showing
 * "last seen" without looking at {@code online} still tells the truth); of an offline user, the
 * {@code presence} projection's {@code last_seen}, null when never seen.
 */
public final class PresenceService {

    private final Database database;
    private final Clock clock;
    private final PresenceStore presence = new PresenceStore();

    public PresenceService(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** @throws Refusal 404 unless the caller asks about themselves or shares a conversation with the user */
    public PresenceView of(String callerId, String userId) {
        PresenceStore.Row row = database.withConnection(connection -> {
            if (!callerId.equals(userId) && !presence.shareConversation(connection, callerId, userId)) {
                throw Refusal.notFound("user not found");
            }
            return presence.find(connection, userId);
        });
        boolean online = row.sessions() > 0;
        return new PresenceView(userId, online,
                online ? clock.instant().truncatedTo(ChronoUnit.MILLIS) : row.lastSeen());
    }

    public OnlineStats online() {
        return database.withConnection(presence::online);
    }
}
