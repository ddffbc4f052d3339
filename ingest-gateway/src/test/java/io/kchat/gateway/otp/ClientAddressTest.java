package io.kchat.gateway.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        ClientAddress addresses = new ClientAddress(Set.of());

        assertEquals("203.0.113.9", addresses.resolve("203.0.113.9", List.of("198.51.100.1")));
    }

    @Test
    void anUntrustedPeerCannotClaimAnotherAddress() {
        ClientAddress addresses = new ClientAddress(Set.of("10.0.0.1"));

        assertEquals("203.0.113.9", addresses.resolve("203.0.113.9", List.of("198.51.100.1")));
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        ClientAddress addresses = new ClientAddress(Set.of("10.0.0.1", "10.0.0.2"));

        // the client wrote "6.6.6.6" itself; the first proxy appended the address it saw
        assertEquals("198.51.100.7", addresses.resolve("10.0.0.1", List.of("6.6.6.6, 198.51.100.7, 10.0.0.2")));
        assertEquals("198.51.100.7", addresses.resolve("10.0.0.1", List.of("6.6.6.6", "198.51.100.7")));
    }

    @Test
    void aTrustedPeerWithoutAHeaderIsItself() {
        ClientAddress addresses = new ClientAddress(Set.of("10.0.0.1"));

        assertEquals("10.0.0.1", addresses.resolve("10.0.0.1", List.of()));
        assertEquals("10.0.0.1", addresses.resolve("10.0.0.1", List.of(" , ")));
    }
}
