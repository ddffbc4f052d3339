package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which paths the filter limits and how it keys clients; the 429 itself is tested on a running gateway. */
class AuthRateLimitFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/auth/login", "/v1/auth/register", "/v1/auth/refresh", "/v1/auth/otp/request",
            "/v1/auth/otp/verify", "/v1/auth/otp", "/v1/auth/login/", "//v1//auth/login", "/v1/auth/otp/anything"})
    void limits(String path) {
        assertTrue(AuthRateLimitFilter.limited(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/auth/logout", "/v1/auth/password", "/.well-known/jwks.json", "/v1/ws",
            "/v1/users/me", "/v1/auth/loginx", "/v1/auth/otpx"})
    void leavesOthersAlone(String path) {
        assertFalse(AuthRateLimitFilter.limited(path), path);
    }

    @Test
    void keysIpv4ByAddressAndIpv6ByItsSlash64() throws Exception {
        assertEquals("192.0.2.7", key("192.0.2.7"));
        assertEquals(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"), "one host's /64");
        assertNotEquals(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    private static String key(String ip) throws Exception {
        return AuthRateLimitFilter.clientKey(new InetSocketAddress(InetAddress.getByName(ip), 443));
    }
}
