package io.kchat.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Loopback source addresses 127.0.0.1 .. 127.0.0.{count}, handed out round-robin. The kernel keeps one ephemeral
 * port range per source address, so {@code count} addresses carry {@code count} times the sockets one could.
 */
record SourceAddresses(int count) {

    /** Sockets placed on one address by {@link #forSockets}: well inside the default 32768-60999 range. */
    static final int SOCKETS_PER_ADDRESS = 10_000;

    SourceAddresses {
        if (count < 1 || count > 254) {
            throw new IllegalArgumentException("source addresses must be 1..254, not " + count);
        }
    }

    /** Enough addresses for {@code sockets} sockets at {@link #SOCKETS_PER_ADDRESS} each. */
    static SourceAddresses forSockets(int sockets) {
        return new SourceAddresses(Math.max(1, (sockets + SOCKETS_PER_ADDRESS - 1) / SOCKETS_PER_ADDRESS));
    }

    InetAddress of(int index) {
        byte last = (byte) (1 + Math.floorMod(index, count));
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a four-byte address is always valid", e);
        }
    }
}
