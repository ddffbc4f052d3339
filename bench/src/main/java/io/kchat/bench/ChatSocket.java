package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One device's socket speaking the chat protocol: it knows when the device is {@code synced}, acks what it received
 * the way a client does (cumulatively, at most every {@code ackInterval}), and hands the frames a mode cares about
 * to its {@link Events}, which a mode may swap between runs.
 */
final class ChatSocket implements WsListener {

    /** The frames a mode measures; called on the socket's thread. */
    interface Events {
        Events NONE = new Events() {
        };

        default void message(ChatSocket socket, JsonNode frame, long arrivedNanos) {
        }

        default void ok(ChatSocket socket, String ref, long arrivedNanos) {
        }

        default void error(ChatSocket socket, JsonNode frame) {
        }

        default void conversation(ChatSocket socket, JsonNode frame) {
        }

        /** An ephemeral part of the assistant's answer to one of this device's questions. */
        default void assistantStream(ChatSocket socket, JsonNode frame, long arrivedNanos) {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchApi.Login account;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private final LongAdder gaps = new LongAdder();
    private volatile Events events;
    private volatile WsConnection connection;
    private volatile int closeStatus;
    /** Confined to the socket's thread, like the ack task. */
    private long highestUserSeq;
    private long ackedUserSeq;

    private ChatSocket(BenchApi.Login account, Events events) {
        this.account = account;
        this.events = events;
    }

    /**
     * Connects from {@code source} and completes once the device is {@code synced}.
     *
     * @param ackInterval how often received events are acked; zero: never (the server then keeps them queued)
     */
    static CompletableFuture<ChatSocket> open(WsClient client, URI uri, BenchApi.Login account, InetAddress source,
                                              Events events, Duration ackInterval) {
        ChatSocket socket = new ChatSocket(account, events);
        return client.connect(uri, account.accessToken(), source, socket).thenCompose(connection -> {
            socket.connection = connection;
            if (!ackInterval.isZero()) {
                connection.every(ackInterval, socket::ackReceived);
            }
            return socket.synced;
        }).thenApply(ignored -> socket);
    }

    BenchApi.Login account() {
        return account;
    }

    String userId() {
        return account.userId();
    }

    void events(Events value) {
        events = value;
    }

    void send(String frame) {
        connection.send(frame);
    }

    boolean isOpen() {
        return connection != null && connection.isOpen();
    }

    /** The close code the server sent, or 1006 for a close without one; 0 while open. */
    int closeStatus() {
        return closeStatus;
    }

    long gaps() {
        return gaps.sum();
    }

    void close() {
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public void onText(WsConnection source, long arrivedNanos, String text) {
        JsonNode frame = parse(text);
        JsonNode userSeq = frame.get("userSeq");
        if (userSeq != null && userSeq.asLong() > highestUserSeq) {
            highestUserSeq = userSeq.asLong();
        }
        switch (frame.path("type").asText()) {
            case "message" -> events.message(this, frame, arrivedNanos);
            case "ok" -> events.ok(this, frame.path("ref").asText(null), arrivedNanos);
            case "error" -> events.error(this, frame);
            case "conversation" -> events.conversation(this, frame);
            case "assistant_stream" -> events.assistantStream(this, frame, arrivedNanos);
            case "synced" -> synced.complete(null);
            case "gap" -> gaps.increment();
            default -> { }
        }
    }

    @Override
    public void onClosed(WsConnection source, int status, String reason) {
        closeStatus = status;
        synced.completeExceptionally(new IllegalStateException("socket closed before synced: " + status + " " + reason));
    }

    static String sendFrame(String ref, String id, String conversationId, String body) {
        ObjectNode frame = JSON.createObjectNode().put("type", "send").put("ref", ref).put("id", id)
                .put("conversationId", conversationId).put("body", body);
        return frame.toString();
    }

    private void ackReceived() {
        if (highestUserSeq > ackedUserSeq) {
            ackedUserSeq = highestUserSeq;
            connection.send(JSON.createObjectNode().put("type", "ack").put("userSeq", ackedUserSeq).toString());
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("unreadable frame from the server: " + text, e);
        }
    }
}
