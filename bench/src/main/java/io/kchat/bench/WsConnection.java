package io.kchat.bench;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One open WebSocket of a {@link WsClient}. Sending is safe from any thread and never blocks. */
final class WsConnection {

    private final Channel channel;

    WsConnection(Channel channel) {
        this.channel = channel;
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Runs {@code task} every {@code period} on this connection's thread, until it closes. */
    void every(Duration period, Runnable task) {
        channel.eventLoop().scheduleAtFixedRate(() -> {
            if (channel.isActive()) {
                task.run();
            }
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends a normal close; the channel closes when the server answers, or by Netty's force-close timeout. */
    void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        }
    }
}
