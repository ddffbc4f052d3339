package io.kchat.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import java.nio.charset.StandardCharsets;

/** What {@link Outbound} queues for a socket, each written by the socket's one writer. */
sealed interface OutboundItem {

    OutboundItem PING = new Ping();

    void writeTo(WsSession socket);

    record Text(String text) implements OutboundItem {
        @Override
        public void writeTo(WsSession socket) {
            socket.send(text, true);
        }
    }

    /** @param payload a copy: the client's ping belongs to the frame Helidon is reading, and the pong leaves later */
    record Pong(BufferData payload) implements OutboundItem {
        @Override
        public void writeTo(WsSession socket) {
            socket.pong(payload);
        }
    }

    record Ping() implements OutboundItem {
        @Override
        public void writeTo(WsSession socket) {
            socket.ping(BufferData.empty());
        }
    }

    /** The last item: nothing is written after it. */
    record Close(int code, String reason) implements OutboundItem {

        /** RFC 6455: a close frame's payload is at most 125 bytes, two of which hold the code. */
        static final int MAX_REASON_BYTES = 123;

        /** With the reason cut to what a close frame holds. */
        static Close of(int code, String reason) {
            return new Close(code, truncate(reason));
        }

        @Override
        public void writeTo(WsSession socket) {
            socket.close(code, reason);
        }

        private static String truncate(String reason) {
            byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
            if (bytes.length <= MAX_REASON_BYTES) {
                return reason;
            }
            String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
            // a multi-byte character cut in half decodes to U+FFFD, which may be longer: drop it
            while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
                cut = cut.substring(0, cut.length() - 1);
            }
            return cut;
        }
    }
}
