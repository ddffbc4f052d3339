package io.kchat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a currently free TCP port on the loopback interface. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * The port is released before returning, so another process could take it in between; servers here
     * need a concrete port up front (Kafka advertises it), and that small race is accepted.
     */
    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port", e);
        }
    }

    static int pickIfZero(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Invalid port " + port);
        }
        return port == 0 ? pick() : port;
    }
}
