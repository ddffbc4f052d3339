package io.kchat.gateway.ws;

import io.kchat.gateway.conversations.ConversationKind;
import io.kchat.gateway.conversations.ConversationStore;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.messages.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Membership read from {@code conversation_members} and remembered for a few seconds, answers "no" included:
 * a typing burst costs one query. The price is that a membership change reaches typing up to {@code ttl}
 * late, which is acceptable for an ephemeral notice; messages and reads are authorized by the processor.
 */
public final class CachedMembership implements MembershipCheck {

    /** Beyond this many remembered pairs, expired ones are dropped, and all of them if that is not enough. */
    static final int MAX_ENTRIES = 100_000;

    private record Key(String conversationId, String userId) {
    }

    private record Entry(boolean member, Instant expiresAt) {
    }

    private final Database database;
    private final Clock clock;
    private final Duration ttl;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final MessageStore messages = new MessageStore();
    private final ConversationStore conversations = new ConversationStore();

    /** @param ttl how long an answer is kept; zero asks the database every time */
    public CachedMembership(Database database, Clock clock, Duration ttl) {
        this.database = database;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public boolean isMember(String conversationId, String userId) {
        Key key = new Key(conversationId, userId);
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expiresAt())) {
            return entry.member();
        }
        boolean member = query(conversationId, userId);
        if (!ttl.isZero()) {
            evictIfFull(now);
            entries.put(key, new Entry(member, now.plus(ttl)));
        }
        return member;
    }

    /** Asked each time: a stop is rare, unlike typing, and comes after the membership check that is cached. */
    @Override
    public boolean isAssistant(String conversationId) {
        return database.withConnection(connection -> conversations.kind(connection, conversationId))
                .filter(kind -> kind == ConversationKind.ASSISTANT)
                .isPresent();
    }

    private boolean query(String conversationId, String userId) {
        return database.withConnection(connection -> messages.isMember(connection, conversationId, userId));
    }

    private void evictIfFull(Instant now) {
        if (entries.size() < MAX_ENTRIES) {
            return;
        }
        entries.values().removeIf(e -> !now.isBefore(e.expiresAt()));
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
    }
}
