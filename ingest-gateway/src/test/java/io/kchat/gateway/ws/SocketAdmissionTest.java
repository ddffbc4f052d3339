package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsUpgradeException;
import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.gateway.origins.OriginPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Upgrades refused while draining or for a bad token; sockets admitted until the drain, counted until they end. */
class SocketAdmissionTest {

    private static final AuthenticatedDevice DEVICE = new AuthenticatedDevice("u1", "d1", Instant.MAX);

    private final ManualTimers timers = new ManualTimers();
    private final OpenSockets sockets = new OpenSockets();
    private final SocketAdmission admission = new SocketAdmission(sockets, new UpgradeAuthorization(token -> {
        if (!token.equals("good")) {
            throw new InvalidTokenException("token expired");
        }
        return DEVICE;
    }, new OriginPolicy(Set.of(), Set.of(), false)));

    @Test
    void anUpgradeCarriesItsTokensDeviceOrNoneForAnAuthFrameLater() throws WsUpgradeException {
        assertEquals(DEVICE, admission.upgrade(WritableHeaders.create().set(HeaderNames.AUTHORIZATION, "Bearer good"))
                .device());
        assertNull(admission.upgrade(WritableHeaders.create()).device());
    }

    @Test
    void anUpgradeWithABadTokenIsRefusedWithTheReason() {
        WsUpgradeException refused = assertThrows(WsUpgradeException.class,
                () -> admission.upgrade(WritableHeaders.create().set(HeaderNames.AUTHORIZATION, "Bearer bad")));
        assertEquals("token expired", refused.getMessage());
    }

    @Test
    void anAdmittedSocketIsOpenUntilItEnds() {
        ClientSession session = session(new RecordingSocket(false));
        assertTrue(admission.admit(session, null, null));
        assertEquals(1, sockets.size());

        admission.ended(session);
        assertEquals(0, sockets.size());
    }

    @Test
    void onceTheNodeDrainsUpgradesAreRefusedAndARacingSocketIsClosed1001() throws Exception {
        sockets.drain(Duration.ZERO);

        WsUpgradeException refused = assertThrows(WsUpgradeException.class,
                () -> admission.upgrade(WritableHeaders.create().set(HeaderNames.AUTHORIZATION, "Bearer good")));
        assertEquals(SocketAdmission.GOING_AWAY_REASON, refused.getMessage());

        RecordingSocket socket = new RecordingSocket(false);
        assertFalse(admission.admit(session(socket), null, null));
        assertEquals(0, sockets.size());
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.GOING_AWAY).equals(socket.closeCode));
    }

    private ClientSession session(RecordingSocket socket) {
        return new ClientSession(new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16,
                new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC()));
    }
}
