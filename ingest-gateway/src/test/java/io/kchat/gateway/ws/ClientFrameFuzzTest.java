package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsUpgradeException;
import io.kchat.events.AssistantStop;
import io.kchat.events.InboundCommand;
import io.kchat.events.MessageUpdateKind;
import io.kchat.events.ReadUpTo;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.Typing;
import io.kchat.events.UpdateMessage;
import io.kchat.gateway.GatewayConfig;
import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.messages.CiphertextParser;
import io.kchat.gateway.messages.EncryptionLimits;
import io.kchat.gateway.messages.SendRules;
import io.kchat.gateway.limits.RateLimit;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.origins.OriginPolicy;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client frames, fuzzed through a connection's listener as Helidon would call it (fragment assembly, rate limits,
 * parser, commands) with a recording producer behind the real publishers. Whatever the input, the listener throws
 * nothing, and what reaches Kafka is exactly what the frame asks for once the parser accepted it: nothing for
 * anything the parser refuses. Without {@code JAZZER_FUZZ=1} the saved inputs under
 * {@code src/test/resources/io/kchat/gateway/ws/ClientFrameFuzzTestInputs} run as a regression test. To fuzz:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl ingest-gateway test -Dtest=ClientFrameFuzzTest -Djazzer.max_duration=120s}
 * (a finding is written as {@code crash-*} beside the saved inputs; the working corpus goes to
 * {@code ingest-gateway/.cifuzz-corpus}, which is not to be committed).
 */
class ClientFrameFuzzTest {

    private static final String MEMBER_OF = "conv-member";
    /** The user's assistant conversation: a member of it too. */
    private static final String ASSISTANT_OF = "conv-assistant";
    private static final TopicCatalogue TOPICS = new TopicCatalogue("fuzz.");
    private static final MockProducer<byte[], byte[]> PRODUCER =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    /** Acks produced at once, and limits no input reaches: each input is judged alone. */
    private static final WsConfig CONFIG = WsConfig.defaults("fuzz").withAckCoalesce(Duration.ZERO)
            .withConnectionLimits(ConnectionLimits.defaults().withRates(new RateLimit(1e6, 1_000_000),
                    new RateLimit(1e6, 1_000_000), new RateLimit(1e6, 1_000_000)));
    private static final ChatWebSocket CHAT = new ChatWebSocket(CONFIG, new OriginPolicy(Set.of(), Set.of(), false),
            ClientFrameFuzzTest::verify,
            new SessionRegistry(),
            new ChatWebSocket.Publishers(new EventPublisher<>(PRODUCER, TOPICS.inbound()),
                    new EventPublisher<>(PRODUCER, TOPICS.userInbound()), new EventPublisher<>(PRODUCER, TOPICS.typing()),
                    new EventPublisher<>(PRODUCER, TOPICS.assistantControl())),
            new MembershipCheck() {
                @Override
                public boolean isMember(String conversationId, String userId) {
                    return conversationId.equals(MEMBER_OF) || conversationId.equals(ASSISTANT_OF);
                }

                @Override
                public boolean isAssistant(String conversationId) {
                    return conversationId.equals(ASSISTANT_OF);
                }
            },
            new SendRules(new CiphertextParser(EncryptionLimits.DEFAULT), (conversationId, userId, deviceId, sealed) -> { }),
            SessionDirectory.NONE,
            new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC()), GatewayConfig.DEFAULT_SESSION_CHECK,
            Clock.systemUTC());
    private static final ClientFrameParser PARSER = new ClientFrameParser(CONFIG.maxBodyChars());

    @FuzzTest(maxDuration = "5m")
    void aFrameIsRefusedOrProducesExactlyWhatItAsks(byte[] input) throws WsUpgradeException {
        String text = new String(input, StandardCharsets.UTF_8);
        RecordingSocket socket = new RecordingSocket(false);
        ChatWsListener listener = CHAT.newListener();
        PRODUCER.clear(); // bounded memory while fuzzing
        listener.onHttpUpgrade(null, WritableHeaders.create().set(HeaderNames.AUTHORIZATION, "Bearer token-f"));
        listener.onOpen(socket); // authenticates and publishes SessionOpened
        int before = PRODUCER.history().size();
        try {
            listener.onMessage(socket, text, true);
            List<ProducerRecord<byte[], byte[]>> after = PRODUCER.history(); // one snapshot: others may be added
            assertEquals(expected(text), produced(after.subList(before, after.size())), text);
        } finally {
            listener.onClose(socket, 1000, "done");
        }
    }

    /** What the frame asks for, by the parser alone: nothing when it refuses it. */
    private static List<String> expected(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > CONFIG.maxFrameBytes()) {
            return List.of();
        }
        ClientFrame frame;
        try {
            frame = PARSER.parse(text);
        } catch (BadFrameException e) {
            return List.of();
        }
        return switch (frame) {
            case ClientFrame.Send send -> List.of(send.conversationId() + " " + (send.ciphertext() == null
                    ? new SendMessage(send.id(), "user-f", "dev-f", send.body(), null, send.replyTo(), List.of(), false)
                    : new SendMessage(send.id(), "user-f", "dev-f", "", send.ciphertext().toEvent(), send.replyTo(), List.of(), false)));
            case ClientFrame.Edit edit -> List.of(edit.conversationId() + " " + new UpdateMessage(edit.id(), "user-f",
                    "dev-f", edit.seq(), MessageUpdateKind.EDIT, edit.body(),
                    edit.ciphertext() == null ? null : edit.ciphertext().toEvent(), null, false));
            case ClientFrame.Delete delete -> List.of(delete.conversationId() + " " + new UpdateMessage(delete.id(),
                    "user-f", "dev-f", delete.seq(), MessageUpdateKind.DELETE, null, null, null, false));
            case ClientFrame.React react -> List.of(react.conversationId() + " " + new UpdateMessage(react.id(),
                    "user-f", "dev-f", react.seq(), MessageUpdateKind.REACTION, null, null, react.key(), react.remove()));
            case ClientFrame.Read read -> List.of(read.conversationId() + " "
                    + new ReadUpTo("user-f", "dev-f", read.seq()));
            case ClientFrame.Typing typing -> typing.conversationId().equals(MEMBER_OF)
                    || typing.conversationId().equals(ASSISTANT_OF)
                    ? List.of("typing " + typing.conversationId() + " " + typing.active()) : List.of();
            case ClientFrame.AssistantStop stop -> stop.conversationId().equals(ASSISTANT_OF)
                    ? List.of("stop " + stop.conversationId() + " " + stop.replyTo()) : List.of();
            // an auth frame extends or closes; an ack of 0 is covered, a higher one refused; a ping is answered
            case ClientFrame.Auth auth -> List.of();
            case ClientFrame.Ack ack -> List.of();
            case ClientFrame.Ping ping -> List.of();
        };
    }

    private static List<String> produced(List<ProducerRecord<byte[], byte[]>> records) {
        List<String> seen = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            String key = TOPICS.inbound().keySerde().deserializer().deserialize(record.topic(), record.key());
            if (record.topic().equals(TOPICS.inbound().name())) {
                InboundCommand command = TOPICS.inbound().valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                seen.add(key + " " + command.getCommand());
            } else if (record.topic().equals(TOPICS.userInbound().name()) && sessionLifecycle(record)) {
                continue; // the socket ending (e.g. closed for a forged token) publishes SessionClosed
            } else if (record.topic().equals(TOPICS.typing().name())) {
                Typing typing = TOPICS.typing().valueSerde().deserializer().deserialize(record.topic(), record.value());
                seen.add("typing " + typing.getConversationId() + " " + typing.getActive());
            } else if (record.topic().equals(TOPICS.assistantControl().name())) {
                AssistantStop stop = TOPICS.assistantControl().valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                seen.add("stop " + key + " " + stop.getReplyTo() + (stop.getConversationId().equals(key)
                        && stop.getUserId().equals("user-f") ? "" : " wrongly addressed"));
            } else {
                seen.add("unexpected record on " + record.topic());
            }
        }
        return seen;
    }

    private static boolean sessionLifecycle(ProducerRecord<byte[], byte[]> record) {
        Object command = TOPICS.userInbound().valueSerde().deserializer().deserialize(record.topic(), record.value())
                .getCommand();
        return command instanceof SessionOpened || command instanceof SessionClosed;
    }

    private static AuthenticatedDevice verify(String token) throws InvalidTokenException {
        if (!token.equals("token-f")) {
            throw new InvalidTokenException("unknown token");
        }
        return new AuthenticatedDevice("user-f", "dev-f", Instant.now().plus(Duration.ofHours(1)));
    }
}
