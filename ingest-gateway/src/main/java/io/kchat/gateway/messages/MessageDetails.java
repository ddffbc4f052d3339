package io.kchat.gateway.messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** What the archive keeps of messages beside their row: attachments and reactions, read for a whole list at once. */
public final class MessageDetails {

    private MessageDetails() {
    }

    /**
     * @return {@code messages} in their order with their attachments, and their reactions as {@code userId} sees them
     */
    public static List<MessageView> attach(Connection connection, String userId, List<MessageView> messages)
            throws SQLException {
        return Reactions.attach(connection, userId, Attachments.attach(connection, messages));
    }
}
