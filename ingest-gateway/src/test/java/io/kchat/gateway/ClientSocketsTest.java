package io.kchat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;

/** The options of the sockets the gateway accepts: Nagle off, Helidon's other defaults kept. */
class ClientSocketsTest {

    @Test
    void acceptedSocketsSendEveryFrameAtOnceAndKeepHelidonsOtherDefaults() {
        SocketOptions defaults = SocketOptions.create();
        SocketOptions.Builder builder = SocketOptions.builder();
        Gateway.CLIENT_SOCKETS.accept(builder);
        SocketOptions ours = builder.build();

        assertFalse(defaults.tcpNoDelay(), "Helidon's default, which the gateway must override");
        assertTrue(ours.tcpNoDelay());
        assertEquals(defaults.readTimeout(), ours.readTimeout());
        assertEquals(defaults.connectTimeout(), ours.connectTimeout());
        assertEquals(defaults.socketKeepAlive(), ours.socketKeepAlive());
        assertEquals(defaults.socketReuseAddress(), ours.socketReuseAddress());
    }

    @Test
    void theListenerCarriesThem() {
        WebServerConfig listener = WebServer.builder().connectionOptions(Gateway.CLIENT_SOCKETS).buildPrototype();

        assertTrue(listener.connectionOptions().tcpNoDelay());
        assertFalse(WebServer.builder().buildPrototype().connectionOptions().tcpNoDelay());
    }
}
