package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.schemas.PushEndpoints.Policy;
import io.kchat.schemas.PushEndpoints.Refused;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PushEndpointsTest {

    @Test
    void anHttpsUrlOfAPublicHostPasses() throws Exception {
        URI uri = PushEndpoints.parse("https://fcm.googleapis.com/fcm/send/abc:def", Policy.STRICT);
        assertEquals("fcm.googleapis.com", uri.getHost());
        List<InetAddress> addresses = PushEndpoints.requirePublic(uri, Policy.STRICT,
                host -> List.of(InetAddress.getByName("142.250.0.1")));
        assertEquals(1, addresses.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "http://push.example.com/x", "ftp://push.example.com/x",
            "https:///nohost", "https://user:pw@push.example.com/x", "https://push.example.com/x#frag",
            "https://127.0.0.1/x", "https://127.1/x", "https://10.1.2.3/x", "https://172.20.0.1/x",
            "https://192.168.1.1/x", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/x",
            "https://0.0.0.0/x", "https://[::1]/x", "https://[fe80::1]/x", "https://[fd00::1]/x",
            "https://[::ffff:127.0.0.1]/x", "https://[64:ff9b::a9fe:a9fe]/x", "https://2130706433/x"})
    void refusedByForm(String endpoint) {
        assertThrows(Refused.class, () -> PushEndpoints.parse(endpoint, Policy.STRICT), endpoint);
    }

    @Test
    void tooLongIsRefused() {
        String endpoint = "https://push.example.com/" + "a".repeat(PushEndpoints.MAX_LENGTH);
        assertThrows(Refused.class, () -> PushEndpoints.parse(endpoint, Policy.STRICT));
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefusedUnlessAllowed() throws Exception {
        URI uri = PushEndpoints.parse("https://push.internal.example/x", Policy.STRICT);
        PushEndpoints.Resolver rebinding = host -> List.of(InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("10.0.0.5"));
        assertThrows(Refused.class, () -> PushEndpoints.requirePublic(uri, Policy.STRICT, rebinding));
        assertEquals(2, PushEndpoints.requirePublic(uri, new Policy(false, true), rebinding).size());
        assertThrows(Refused.class, () -> PushEndpoints.requirePublic(uri, Policy.STRICT, host -> List.of()));
        assertThrows(Refused.class, () -> PushEndpoints.requirePublic(uri, Policy.STRICT, host -> {
            throw new java.net.UnknownHostException(host);
        }));
    }

    @Test
    void loopbackHttpPassesOnlyWhenTheOperatorAllowsBoth() throws Exception {
        String local = "http://127.0.0.1:9000/push/1";
        assertThrows(Refused.class, () -> PushEndpoints.parse(local, new Policy(true, false)));
        assertThrows(Refused.class, () -> PushEndpoints.parse(local, new Policy(false, true)));
        assertEquals(9000, PushEndpoints.parse(local, new Policy(true, true)).getPort());
    }

    @Test
    void publicAndNonPublicAddresses() throws Exception {
        assertTrue(PushEndpoints.isPublic(InetAddress.getByName("1.1.1.1")));
        assertTrue(PushEndpoints.isPublic(InetAddress.getByName("2606:4700::1111")));
        assertFalse(PushEndpoints.isPublic(InetAddress.getByName("198.18.0.1")));
        assertFalse(PushEndpoints.isPublic(InetAddress.getByName("203.0.113.9")));
        assertFalse(PushEndpoints.isPublic(InetAddress.getByName("224.0.0.1")));
        assertFalse(PushEndpoints.isPublic(InetAddress.getByName("2001:db8::1")));
        assertFalse(PushEndpoints.isPublic(InetAddress.getByName("::")));
        assertFalse(PushEndpoints.isPublic(InetAddress.getByName("ff02::1")));
    }
}
