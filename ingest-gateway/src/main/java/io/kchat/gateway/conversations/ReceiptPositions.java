package io.kchat.gateway.conversations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How far each member of a conversation has got, from the read model the delivery-service keeps
 * ({@code conversation_members.delivered_seq} and {@code read_seq}): what a client shows as delivered and read
 * marks when it (re)loads a conversation. It can lag the receipts on the socket by a moment; clients keep the
 * higher of the two.
 */
final class ReceiptPositions {

    /** Every member's position; none when {@code viewerId} is not a member, so a stranger learns nothing. */
    List<ReceiptPosition> forMember(Connection connection, String conversationId, String viewerId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT m.user_id, m.delivered_seq, m.read_seq FROM conversation_members m
                 WHERE m.conversation_id = ?
                   AND EXISTS (SELECT 1 FROM conversation_members v
                                WHERE v.conversation_id = m.conversation_id AND v.user_id = ?)
                 ORDER BY m.user_id""")) {
            statement.setString(1, conversationId);
            statement.setString(2, viewerId);
            List<ReceiptPosition> positions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long read = rows.getLong(3);
                    // reading implies delivery, though the two columns are written from separate receipts
                    positions.add(new ReceiptPosition(rows.getString(1), Math.max(rows.getLong(2), read), read));
                }
            }
            return positions;
        }
    }
}
