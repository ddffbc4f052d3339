package io.kchat.gateway.search;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.messages.MessageStore;
import java.util.List;

/**
 * Searching the messages one can read: those of the conversations one is a member of now (history is shared, see
 * {@code MessageService}, so a member finds messages from before they joined, and a removed member finds nothing
 * more), without encrypted conversations, whose bodies the server never sees, and without deleted messages.
 */
public final class SearchService {

    private final Database database;
    private final MessageStore messages = new MessageStore();
    private final SearchStore store = new SearchStore();

    public SearchService(Database database) {
        this.database = database;
    }

    /** @throws Refusal 404 when {@code query} names a conversation {@code userId} is not a current member of */
    public SearchResults search(String userId, SearchQuery query) {
        List<SearchHit> hits = database.withConnection(connection -> {
            if (query.conversationId() != null
                    && (query.conversationId().chars().anyMatch(Character::isISOControl)
                        || !messages.isMember(connection, query.conversationId(), userId))) {
                throw Refusal.notFound("conversation not found");
            }
            return store.search(connection, userId, query);
        });
        if (hits.size() <= query.limit()) {
            return new SearchResults(hits, null);
        }
        List<SearchHit> page = hits.subList(0, query.limit());
        return new SearchResults(List.copyOf(page), SearchCursor.after(page.getLast()).token());
    }
}
