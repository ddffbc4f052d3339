package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A WsSession that records what is written; sends block until {@link #release()} when built blocking. */
final class RecordingSocket implements WsSession {

    final List<String> texts = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile int pings;
    volatile boolean sending;
    private final CountDownLatch gate;

    RecordingSocket(boolean blocking) {
        this.gate = new CountDownLatch(blocking ? 1 : 0);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public WsSession send(String text, boolean last) {
        sending = true;
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        texts.add(text);
        return this;
    }

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        throw new UnsupportedOperationException("binary");
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        pings++;
        return this;
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        return this;
    }

    @Override
    public WsSession close(int code, String reason) {
        closeCode = code;
        return this;
    }

    @Override
    public WsSession terminate() {
        return this;
    }

    @Override
    public SocketContext socketContext() {
        throw new UnsupportedOperationException("no socket");
    }
}
