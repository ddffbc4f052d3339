package io.kchat.assistant.intake;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Whether a conversation is an assistant one ({@code conversations.type}), cached: a conversation's type never
 * changes. The cache keeps the most recently asked {@code capacity} conversations. A conversation the database does
 * not know is not an assistant one, and is not cached (the processor accepts messages only in conversations that
 * exist there, so this is a conversation of another stack or a test). Used by the consumer's thread only.
 */
public final class ConversationTypes implements AssistantConversations {

    static final String ASSISTANT = "assistant";

    private final DataSource database;
    private final Map<String, Boolean> cache;

    public ConversationTypes(DataSource database, int capacity) {
        this.database = database;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Asks the database about those not cached. */
    @Override
    public Set<String> assistant(Collection<String> conversationIds) throws SQLException {
        Set<String> assistant = new HashSet<>();
        Set<String> unknown = new HashSet<>();
        for (String id : conversationIds) {
            Boolean cached = cache.get(id);
            if (cached == null) {
                unknown.add(id);
            } else if (cached) {
                assistant.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            lookUp(unknown).forEach((id, isAssistant) -> {
                cache.put(id, isAssistant);
                if (isAssistant) {
                    assistant.add(id);
                }
            });
        }
        return assistant;
    }

    private Map<String, Boolean> lookUp(Set<String> ids) throws SQLException {
        Map<String, Boolean> types = new HashMap<>();
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT conversation_id, type FROM conversations WHERE conversation_id = ANY (?)")) {
            Array array = connection.createArrayOf("text", ids.toArray());
            statement.setArray(1, array);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), ASSISTANT.equals(rows.getString(2)));
                }
            }
        }
        return types;
    }
}
