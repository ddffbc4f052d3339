package io.kchat.gateway.keys;

import io.kchat.events.KeysChanged;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.auth.sessions.DeviceDepartures;
import io.kchat.gateway.db.OutboxWriter;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.schemas.OutboxEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the user's own devices, contacts and co-members that a device's keys changed (the durable {@code keys}
 * frame), D1's way: {@link #append} writes one outbox row per recipient in the change's transaction, {@link #publish}
 * sends the same records after the commit. The user side appends each {@code eventId} once, whichever copy comes
 * first. The change is committed before anyone is told, so a publish that fails is only logged: the outbox relay
 * carries it.
 */
public final class KeyChangeNotices implements DeviceDepartures {

    private static final Logger log = LoggerFactory.getLogger(KeyChangeNotices.class);

    /** A notice for one recipient: the record key and value. */
    public record Notice(String recipientId, UserCommand command) {
    }

    private final EventPublisher<String, UserCommand> userInbound;
    private final Duration publishTimeout;
    private final OutboxWriter outbox = new OutboxWriter();
    private final KeyAudience audience = new KeyAudience();
    private final KeyStore keys = new KeyStore();

    public KeyChangeNotices(EventPublisher<String, UserCommand> userInbound, Duration publishTimeout) {
        this.userInbound = userInbound;
        this.publishTimeout = publishTimeout;
    }

    /** In the change's transaction: one outbox row per recipient; returns what {@link #publish} sends. */
    public List<Notice> append(Connection connection, String ownerId, Instant now) throws SQLException {
        List<Notice> notices = new ArrayList<>();
        for (String recipient : audience.of(connection, ownerId)) {
            UserCommand command = new UserCommand(new UserEvent(recipient,
                    new KeysChanged(UUID.randomUUID().toString(), ownerId, now)));
            outbox.append(connection, recipient, OutboxEvents.USER_COMMAND, userInbound.serializeValue(command), now);
            notices.add(new Notice(recipient, command));
        }
        return notices;
    }

    /**
     * In the transaction that deletes a device (logout), before it does: its keys go with it (the foreign key cascades),
     * so those who may know them are told, when it had published any.
     */
    @Override
    public Runnable leaving(Connection connection, String ownerId, String deviceId, Instant at) throws SQLException {
        List<Notice> notices = keys.hasKeys(connection, ownerId, deviceId) ? append(connection, ownerId, at) : List.of();
        return () -> publish(notices);
    }

    /** After the commit: sends them all, then waits for Kafka up to the publish timeout. */
    public void publish(List<Notice> notices) {
        if (notices.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] sent = notices.stream()
                .map(notice -> userInbound.publish(notice.recipientId(), notice.command()))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sent).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted publishing {} key notices; the outbox relay carries them", notices.size());
        } catch (Exception e) {
            log.warn("{} key notices not all acknowledged; the outbox relay carries them", notices.size(), e);
        }
    }
}
