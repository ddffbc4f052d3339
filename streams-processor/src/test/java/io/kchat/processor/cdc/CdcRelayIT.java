package io.kchat.processor.cdc;

import static io.kchat.processor.KafkaTestClients.drain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ContactChanged;
import io.kchat.events.ContactEventKind;
import io.kchat.events.ContactRequestView;
import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.KafkaTestClients;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.OutboxEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The Debezium engine relays outbox rows byte for byte to chat.inbound, user rows to chat.cdc.users, and
 * device rows to chat.cdc.devices and, as registrations and removals, to the user side.
 */
class CdcRelayIT {

    @Test
    void outboxRowsAndUserRowsReachKafka() throws Exception {
        CdcFixture fx = new CdcFixture("cdc", Map.of());
        byte[] payload = CdcFixture.createdCommand("conv-1");

        try (CdcRelay relay = fx.startRelay();
             Connection db = fx.connect();
             KafkaConsumer<String, InboundCommand> inbound = KafkaTestClients.consumer(fx.bootstrap, fx.topics.inbound(), "read_committed");
             KafkaConsumer<String, String> users = KafkaTestClients.consumer(fx.bootstrap, fx.topics.cdcUsers(), "read_committed")) {
            long outboxId = CdcFixture.insertOutbox(db, "conv-1", payload, Instant.now());
            try (Statement insert = db.createStatement()) {
                insert.executeUpdate("INSERT INTO users (user_id, username, display_name, created_at) VALUES ('u1', 'ursula', 'Ursula', now())");
            }

            List<ConsumerRecord<String, InboundCommand>> relayed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> !drain(inbound, relayed).isEmpty());
            assertEquals("conv-1", relayed.getFirst().key());
            assertArrayEquals(payload, AvroSerde.of(InboundCommand.class).encode(relayed.getFirst().value()));
            // What the janitor may delete: only rows whose relay Kafka acknowledged (noted just after the ack).
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.relayedOutboxId() == outboxId);

            // besides the rows the migrations wrote (the assistant's user, V11), which the engine's snapshot relays too
            List<ConsumerRecord<String, String>> userRows = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> drain(users, userRows).stream()
                    .anyMatch(row -> "u1".equals(row.key())));
            ConsumerRecord<String, String> ursula = userRows.stream().filter(row -> "u1".equals(row.key()))
                    .findFirst().orElseThrow();
            assertTrue(ursula.value().contains("\"username\":\"ursula\""), ursula.value());

            // a column added since (V9): the user's avatar, relayed like any other
            try (Statement avatar = db.createStatement()) {
                avatar.executeUpdate("INSERT INTO media (media_id, owner_id, state, content_type) VALUES ('m1', 'u1', 'complete', 'image/png')");
                avatar.executeUpdate("UPDATE users SET avatar_media_id = 'm1' WHERE user_id = 'u1'");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> drain(users, userRows).stream()
                    .anyMatch(row -> row.value().contains("\"avatar_media_id\":\"m1\"")));
        }
    }

    @Test
    void outboxRowsGoToTheTopicOfTheirEventTypeAndAnUnknownTypeGoesNowhere() throws Exception {
        CdcFixture fx = new CdcFixture("cdc-types", Map.of());
        UserCommand contact = new UserCommand(new UserEvent("u2", new ContactChanged("e1", ContactEventKind.REQUEST,
                new ContactRequestView("r1", "u1", "u2", null, "pending", Instant.parse("2026-01-01T00:00:00Z")),
                null, Instant.parse("2026-01-01T00:00:00Z"))));
        byte[] payload = AvroSerde.of(UserCommand.class).encode(contact);

        try (CdcRelay relay = fx.startRelay();
             Connection db = fx.connect();
             KafkaConsumer<String, UserCommand> userInbound = KafkaTestClients.consumer(fx.bootstrap,
                     fx.topics.userInbound(), "read_committed");
             KafkaConsumer<String, InboundCommand> inbound = KafkaTestClients.consumer(fx.bootstrap, fx.topics.inbound(),
                     "read_committed")) {
            long unknown = CdcFixture.insertOutbox(db, "FromANewerGateway", "u2", new byte[] {1, 2, 3}, Instant.now());
            long known = CdcFixture.insertOutbox(db, OutboxEvents.USER_COMMAND, "u2", payload, Instant.now());

            List<ConsumerRecord<String, UserCommand>> relayed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> !drain(userInbound, relayed).isEmpty());
            assertEquals("u2", relayed.getFirst().key());
            assertEquals(contact, relayed.getFirst().value());
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.relayedOutboxId() == known);
            assertTrue(unknown < known);
            drain(userInbound, relayed);
            assertEquals(1, relayed.size(), "the unknown row went to no user");
            assertTrue(drain(inbound, new ArrayList<>()).isEmpty(), "nor to chat.inbound");
        }
    }

    @Test
    void deviceInsertsAndDeletesReachTheUserSideUnlessTheRowSaysOtherwiseByNow() throws Exception {
        CdcFixture fx = new CdcFixture("cdc-devices", Map.of());
        Instant createdAt = Instant.parse("2026-03-01T10:15:30.123Z");

        try (CdcRelay relay = fx.startRelay();
             Connection db = fx.connect();
             KafkaConsumer<String, UserCommand> userInbound = KafkaTestClients.consumer(fx.bootstrap, fx.topics.userInbound(), "read_committed");
             KafkaConsumer<String, String> deviceRows = KafkaTestClients.consumer(fx.bootstrap, fx.topics.cdcDevices(), "read_committed")) {
            try (Statement sql = db.createStatement()) {
                sql.executeUpdate("INSERT INTO users (user_id, display_name, created_at) VALUES ('u1', 'U', now())");
            }
            // Once the probe is through, the initial snapshot is behind us: what follows is streamed change by change.
            device(db, "INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES ('u1', ?, ?, ?)", "probe", createdAt);
            List<ConsumerRecord<String, UserCommand>> commands = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> !drain(userInbound, commands).isEmpty());
            assertEquals(new DeviceRegistered("u1", "probe", createdAt), commands.getFirst().value().getCommand());
            commands.clear();

            device(db, "INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES ('u1', ?, ?, ?)", "phone", createdAt);
            device(db, "UPDATE devices SET last_seen_at = now() WHERE user_id = 'u1' AND device_id = ?", "phone", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> !drain(userInbound, commands).isEmpty());
            assertEquals(new DeviceRegistered("u1", "phone", createdAt), commands.getFirst().value().getCommand());
            Instant beforeDelete = Instant.now();
            device(db, "DELETE FROM devices WHERE user_id = 'u1' AND device_id = ?", "phone", null);
            Instant afterDelete = Instant.now();
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(userInbound, commands).size() >= 2);
            Instant removedAt = assertInstanceOf(DeviceRemoved.class, commands.get(1).value().getCommand()).getAt();
            // The commit time from the database clock (same host here), not the row's own timestamps.
            assertFalse(removedAt.isBefore(beforeDelete.minusSeconds(1)), removedAt + " before " + beforeDelete);
            assertFalse(removedAt.isAfter(afterDelete.plusSeconds(1)), removedAt + " after " + afterDelete);

            // Logged out and in again before the relay saw it: by the time the delete is relayed the row is back.
            inOneTransaction(db, () -> {
                device(db, "INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES ('u1', ?, ?, ?)", "tablet", createdAt);
                device(db, "DELETE FROM devices WHERE user_id = 'u1' AND device_id = ?", "tablet", null);
                device(db, "INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES ('u1', ?, ?, ?)", "tablet", createdAt);
            });
            // Logged in and out: by the time the insert is relayed the row is gone again.
            inOneTransaction(db, () -> {
                device(db, "INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES ('u1', ?, ?, ?)", "watch", createdAt);
                device(db, "DELETE FROM devices WHERE user_id = 'u1' AND device_id = ?", "watch", null);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(userInbound, commands).size() >= 5);
            assertTrue(commands.stream().allMatch(r -> r.key().equals("u1")));
            assertEquals(List.of("+phone", "-phone", "+tablet", "+tablet", "-watch"),
                    commands.stream().map(r -> describe(r.value())).toList());

            // The row topic keeps every change (key user:device), a delete as a tombstone for compaction.
            List<ConsumerRecord<String, String>> rows = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> phoneRows(drain(deviceRows, rows)).size() >= 3);
            List<ConsumerRecord<String, String>> phone = phoneRows(rows);
            assertTrue(phone.get(0).value().contains("\"device_id\":\"phone\""), phone.get(0).value());
            assertNull(phone.get(2).value());
            assertEquals(0L, relay.relayedOutboxId());
        }
    }

    private static List<ConsumerRecord<String, String>> phoneRows(List<ConsumerRecord<String, String>> rows) {
        return rows.stream().filter(r -> r.key().equals("u1:phone")).toList();
    }

    private static String describe(UserCommand command) {
        return switch (command.getCommand()) {
            case DeviceRegistered registered -> "+" + registered.getDeviceId();
            case DeviceRemoved removed -> "-" + removed.getDeviceId();
            default -> command.getCommand().toString();
        };
    }

    private static void device(Connection db, String sql, String deviceId, Instant createdAt) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, deviceId);
            if (createdAt != null) {
                statement.setTimestamp(2, Timestamp.from(createdAt));
                statement.setTimestamp(3, Timestamp.from(createdAt));
            }
            statement.executeUpdate();
        }
    }

    private interface SqlWork {
        void run() throws Exception;
    }

    private static void inOneTransaction(Connection db, SqlWork work) throws Exception {
        db.setAutoCommit(false);
        try {
            work.run();
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
    }
}
