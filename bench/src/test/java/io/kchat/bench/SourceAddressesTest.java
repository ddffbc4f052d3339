package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SourceAddressesTest {

    @Test
    void spreadsSocketsRoundRobinFrom127001() {
        SourceAddresses sources = new SourceAddresses(3);

        assertEquals("127.0.0.1", sources.of(0).getHostAddress());
        assertEquals("127.0.0.3", sources.of(2).getHostAddress());
        assertEquals("127.0.0.1", sources.of(3).getHostAddress());
    }

    @Test
    void takesOneAddressPerTenThousandSockets() {
        assertEquals(1, SourceAddresses.forSockets(100).count());
        assertEquals(1, SourceAddresses.forSockets(10_000).count());
        assertEquals(2, SourceAddresses.forSockets(20_000).count());
        assertEquals(3, SourceAddresses.forSockets(20_001).count());
    }

    @Test
    void staysInsideLoopback() {
        assertThrows(IllegalArgumentException.class, () -> new SourceAddresses(255));
    }
}
