package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device on a real WebSocket (JDK client), behaving as docs/api.md asks of a client: sends with unique
 * ids and retries a send until it is ok'd (same id), acks the highest contiguous userSeq it holds,
 * reconnects on close (to its preferred gateway, else any other) and records every frame it receives.
 *
 * <p>Threads: the JDK client's listener, the shared timers (reconnects, acks, resends) and the load driver.
 * State is guarded by {@code this}; writes to the socket are serialized by {@code sendLock} and never made
 * while holding {@code this}.
 */
final class ChatClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatClient.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RECONNECT_DELAY = Duration.ofMillis(300);
    private static final Duration RESEND_AFTER = Duration.ofSeconds(15);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    /** RFC 6455: what a connection that ended without a close frame counts as. */
    static final int ABNORMAL_CLOSURE = 1006;

    /** How one connection ended: the server's close code, or {@link #ABNORMAL_CLOSURE} when it was cut. */
    record Disconnect(int port, int code) {
    }

    private final String userId;
    private final String deviceId;
    private final String accessToken;
    private final HttpClient http;
    private final Supplier<List<Integer>> ports;
    private final int preferred;
    private final ScheduledExecutorService timers;
    private final Object sendLock = new Object();

    private final List<ReceivedFrame> frames = new ArrayList<>();
    private final Map<String, PendingSend> sends = new LinkedHashMap<>();
    private final TreeSet<Long> ahead = new TreeSet<>();
    private final List<Disconnect> disconnects = new ArrayList<>();
    private WebSocket socket;
    private int connection;
    private int openedConnections;
    private int port;
    private boolean connecting;
    private boolean ready;
    private boolean synced;
    private boolean autoReconnect = true;
    private boolean closed;
    private long contiguous = -1;
    private long socketHighest;
    private long lastAckSent;
    private long duplicates;
    private long retransmissions;
    private long sendCounter;

    /**
     * @param ports     the gateways' ports now; asked at every (re)connect
     * @param preferred index into {@code ports} tried first
     */
    ChatClient(Rest.Login login, HttpClient http, Supplier<List<Integer>> ports, int preferred,
               ScheduledExecutorService timers) {
        this.userId = login.userId();
        this.deviceId = login.deviceId();
        this.accessToken = login.accessToken();
        this.http = http;
        this.ports = ports;
        this.preferred = preferred;
        this.timers = timers;
    }

    String userId() {
        return userId;
    }

    String label() {
        return userId.substring(0, Math.min(8, userId.length())) + "/" + deviceId;
    }

    /** Opens the first connection; reconnects follow by themselves. */
    void connect() {
        synchronized (this) {
            if (connecting || socket != null) {
                return;
            }
            connecting = true;
        }
        connectNow();
    }

    /** Sends a message with a fresh id; it is retried until ok'd, across reconnects. Returns the id. */
    String send(String conversationId, String body) {
        PendingSend send = newSend(conversationId, body);
        transmit(send);
        return send.id;
    }

    /**
     * Sends a message and at once the same frame again, as a client retrying too early would: both copies are
     * logged, the second must be recognised by its id (one message, its echo repeated with the same seq).
     */
    String sendTwice(String conversationId, String body) {
        PendingSend send = newSend(conversationId, body);
        WebSocket target;
        int on;
        synchronized (this) {
            if (!ready || socket == null) {
                return send.id; // offline: sent once, when back
            }
            target = socket;
            on = connection;
            send.transmittedAt = System.nanoTime();
        }
        write(target, on, sendFrame(send));
        write(target, on, sendFrame(send));
        return send.id;
    }

    /** Produces an ack when the device holds more than it acked on this socket. */
    void flushAck() {
        WebSocket target;
        int on;
        long upTo;
        synchronized (this) {
            upTo = Math.min(contiguous, socketHighest);
            if (!ready || socket == null || upTo <= lastAckSent) {
                return;
            }
            lastAckSent = upTo;
            target = socket;
            on = connection;
        }
        write(target, on, Rest.JSON.createObjectNode().put("type", "ack").put("userSeq", upTo));
    }

    /**
     * Sends again what was transmitted long ago without an ok (e.g. a frame lost with its socket). What was never
     * transmitted goes out when the socket is ready.
     */
    void resendOverdue() {
        long now = System.nanoTime();
        for (PendingSend send : unconfirmed()) {
            if (send.transmittedAt != 0 && now - send.transmittedAt > RESEND_AFTER.toNanos()) {
                transmit(send);
            }
        }
    }

    /** Closes the socket cleanly and connects again (the reconnect of the quiesce step). */
    void reconnect() {
        synchronized (this) {
            autoReconnect = true;
            synced = false;
            if (socket == null) {
                scheduleReconnect();
                return;
            }
        }
        closeSocket("reconnecting");
    }

    /** Stays offline after the next close (its events queue up for it) until {@link #resume()}. */
    synchronized void suspend() {
        autoReconnect = false;
    }

    /** Closes its socket cleanly and stays offline until {@link #resume()}: its events queue up for it. */
    void goOffline() {
        suspend();
        closeSocket("going offline");
    }

    synchronized void resume() {
        autoReconnect = true;
        if (socket == null) {
            scheduleReconnect();
        }
    }

    synchronized boolean isSynced() {
        return synced;
    }

    synchronized boolean isOnline() {
        return socket != null && ready;
    }

    /** The gateway port of the current (or last) connection. */
    synchronized int port() {
        return port;
    }

    synchronized int unconfirmedCount() {
        return (int) sends.values().stream().filter(send -> !send.ok).count();
    }

    synchronized int okCount() {
        return (int) sends.values().stream().filter(send -> send.ok).count();
    }

    synchronized int sentCount() {
        return sends.size();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** Sends written again under their id: no ok came on the socket they first went out on. */
    synchronized long retransmissions() {
        return retransmissions;
    }

    synchronized int connections() {
        return openedConnections;
    }

    /** How each of its connections ended so far, in order. */
    synchronized List<Disconnect> disconnects() {
        return List.copyOf(disconnects);
    }

    synchronized DeviceHistory history() {
        return new DeviceHistory(userId, deviceId, frames,
                sends.values().stream().map(s -> new SentMessage(s.id, s.conversationId, s.body, s.ok)).toList());
    }

    @Override
    public void close() {
        WebSocket current;
        synchronized (this) {
            closed = true;
            current = socket;
            socket = null;
        }
        if (current != null) {
            current.abort();
        }
    }

    private void closeSocket(String why) {
        WebSocket current;
        int on;
        synchronized (this) {
            current = socket;
            on = connection;
        }
        if (current == null) {
            return;
        }
        current.sendClose(WebSocket.NORMAL_CLOSURE, why).exceptionally(e -> null);
        timers.schedule(() -> {
            current.abort();
            disconnected(on, "close not answered in " + CLOSE_GRACE);
        }, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connectNow() {
        List<Integer> candidates = ports.get();
        for (int i = 0; i < candidates.size(); i++) {
            int port = candidates.get((preferred + i) % candidates.size());
            int attempt;
            synchronized (this) {
                if (closed) {
                    connecting = false;
                    return;
                }
                attempt = ++connection;
            }
            try {
                http.newWebSocketBuilder()
                        .header("Authorization", "Bearer " + accessToken)
                        .connectTimeout(CONNECT_TIMEOUT)
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), new Listener(attempt, port))
                        .get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
                synchronized (this) {
                    connecting = false;
                }
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.debug("{} cannot connect to port {}: {}", label(), port, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            connecting = false;
            scheduleReconnect();
        }
    }

    private synchronized void scheduleReconnect() {
        if (connecting || closed || !autoReconnect) {
            return;
        }
        connecting = true;
        timers.schedule(this::connectNow, RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void opened(int on, int at, WebSocket opened) {
        if (closed || on != connection) {
            opened.abort();
            return;
        }
        socket = opened;
        port = at;
        openedConnections++;
    }

    private void received(int on, JsonNode frame) {
        boolean resend = false;
        synchronized (this) {
            frames.add(new ReceivedFrame(on, frame, System.nanoTime()));
            if (on != connection) {
                return;
            }
            switch (frame.path("type").asText()) {
                case "ready" -> {
                    long acked = frame.path("ackedUserSeq").asLong();
                    ready = true;
                    socketHighest = acked;
                    lastAckSent = acked;
                    if (contiguous < 0) {
                        contiguous = acked;
                    }
                    resend = true;
                }
                case "synced" -> synced = true;
                case "ok" -> {
                    PendingSend send = sends.get(frame.path("id").asText(""));
                    if (send != null) {
                        send.ok = true;
                    }
                }
                case "error" -> resend = refused(frame);
                default -> {
                }
            }
            if (frame.hasNonNull("userSeq")) {
                event(frame.path("userSeq").asLong());
            }
        }
        if (resend) {
            timers.execute(() -> unconfirmed().forEach(this::transmit));
        }
    }

    /** An error without userSeq refuses a frame, not a message: a send refused that way is tried again. */
    private boolean refused(JsonNode frame) {
        if (frame.hasNonNull("userSeq")) {
            return false; // a send refused by the processor: recorded, and it stays refused
        }
        log.warn("{} got {}", label(), frame);
        PendingSend send = sends.get(frame.path("id").asText(""));
        return send != null && !send.ok;
    }

    private void event(long userSeq) {
        socketHighest = Math.max(socketHighest, userSeq);
        if (userSeq <= contiguous || !ahead.add(userSeq)) {
            duplicates++;
            return;
        }
        while (ahead.remove(contiguous + 1)) {
            contiguous++;
        }
    }

    private void disconnected(int on, String why) {
        synchronized (this) {
            if (on != connection || socket == null) {
                return;
            }
            socket = null;
            ready = false;
            synced = false;
            log.info("{} disconnected from connection {}: {}", label(), on, why);
            scheduleReconnect();
        }
    }

    private synchronized void ended(int at, int code) {
        disconnects.add(new Disconnect(at, code));
    }

    private synchronized List<PendingSend> unconfirmed() {
        return sends.values().stream().filter(send -> !send.ok).toList();
    }

    private void transmit(PendingSend send) {
        WebSocket target;
        int on;
        synchronized (this) {
            if (!ready || socket == null || send.ok) {
                return; // sent once connected (on ready)
            }
            target = socket;
            on = connection;
            if (send.transmittedAt != 0) {
                retransmissions++;
            }
            send.transmittedAt = System.nanoTime();
        }
        write(target, on, sendFrame(send));
    }

    private synchronized PendingSend newSend(String conversationId, String body) {
        PendingSend send = new PendingSend(label() + "-" + (++sendCounter), conversationId, body);
        sends.put(send.id, send);
        return send;
    }

    private static ObjectNode sendFrame(PendingSend send) {
        return Rest.JSON.createObjectNode().put("type", "send").put("id", send.id)
                .put("conversationId", send.conversationId).put("body", send.body);
    }

    /** One frame at a time per client (the JDK socket refuses overlapping sends); a failed write drops the socket. */
    private void write(WebSocket target, int on, ObjectNode frame) {
        synchronized (sendLock) {
            try {
                target.sendText(frame.toString(), true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.info("{} cannot write on connection {}: {}", label(), on, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        target.abort();
        disconnected(on, "write failed");
    }

    private static final class PendingSend {
        final String id;
        final String conversationId;
        final String body;
        boolean ok;
        long transmittedAt;

        PendingSend(String id, String conversationId, String body) {
            this.id = id;
            this.conversationId = conversationId;
            this.body = body;
        }
    }

    /** One connection's listener: frames are tagged with the connection they came on. */
    private final class Listener implements WebSocket.Listener {

        private final int on;
        private final int port;
        private final StringBuilder partial = new StringBuilder();

        Listener(int on, int port) {
            this.on = on;
            this.port = port;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            opened(on, port, webSocket);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    received(on, Rest.JSON.readTree(text));
                } catch (IOException e) {
                    log.error("{} got a frame that is not JSON: {}", label(), text, e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(port, statusCode);
            disconnected(on, "closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(port, ABNORMAL_CLOSURE);
            disconnected(on, "error " + error);
        }
    }
}
