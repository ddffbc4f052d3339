package io.kchat.assistant.intake;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;

/** Which conversations are assistant ones: where a person's message is a question. */
@FunctionalInterface
public interface AssistantConversations {

    /** The assistant conversations among {@code conversationIds}. */
    Set<String> assistant(Collection<String> conversationIds) throws SQLException;
}
