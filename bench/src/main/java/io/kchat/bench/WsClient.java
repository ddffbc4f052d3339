package io.kchat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket client for many sockets at once (Netty, NIO): few threads for all of them, a chosen local address per
 * socket (loopback has one ephemeral port range per source address, ~28,000 ports), Bearer authentication on the
 * upgrade request. Pings are answered by Netty's protocol handler, as a live client would.
 */
final class WsClient implements AutoCloseable {

    private static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final int NORMAL_CLOSE_WITHOUT_FRAME = 1006;

    private final EventLoopGroup group;

    WsClient(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /** Completes when the upgrade succeeded; fails on refusal (e.g. 401), timeout or a closed connection. */
    CompletableFuture<WsConnection> connect(URI uri, String accessToken, InetAddress localAddress,
                                            WsListener listener) {
        CompletableFuture<WsConnection> opened = new CompletableFuture<>();
        HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + accessToken);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .customHeaders(headers)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
                // close frames come to FrameHandler, which records the status before closing
                .handleCloseFrames(false)
                .build();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) HANDSHAKE_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config),
                                new WebSocketFrameAggregator(MAX_FRAME_BYTES),
                                new FrameHandler(opened, listener));
                    }
                });
        bootstrap.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), new InetSocketAddress(localAddress, 0))
                .addListener((ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        opened.completeExceptionally(future.cause());
                    }
                });
        return opened;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Completes the connect future at the handshake, then hands text frames and the close to the listener. */
    private static final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

        private final CompletableFuture<WsConnection> opened;
        private final WsListener listener;
        private WsConnection connection;
        private int closeStatus = NORMAL_CLOSE_WITHOUT_FRAME;
        private String closeReason = "closed without a close frame";

        FrameHandler(CompletableFuture<WsConnection> opened, WsListener listener) {
            this.opened = opened;
            this.listener = listener;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                connection = new WsConnection(ctx.channel());
                opened.complete(connection);
            } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            long arrived = System.nanoTime();
            if (frame instanceof TextWebSocketFrame text) {
                listener.onText(connection, arrived, text.text());
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeStatus = close.statusCode();
                closeReason = close.reasonText();
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            opened.completeExceptionally(new IllegalStateException("connection closed before the upgrade: "
                    + closeStatus + " " + closeReason));
            if (connection != null) {
                listener.onClosed(connection, closeStatus, closeReason);
            }
            super.channelInactive(ctx);
        }
    }
}
