package io.kchat.delivery.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.events.Delivery;
import io.kchat.events.ReplayFinished;
import io.kchat.events.SessionRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesByNodeTest {

    @Test
    void oneCopyPerNodeWithOnlyThatNodesRoutes() {
        SessionRoute a1 = new SessionRoute("a", "s1");
        SessionRoute b1 = new SessionRoute("b", "s2");
        SessionRoute a2 = new SessionRoute("a", "s3");
        ReplayFinished item = new ReplayFinished(7L);

        Map<String, Delivery> copies = RoutesByNode.split(new Delivery("u1", List.of(a1, b1, a2), item));

        assertEquals(List.of("a", "b"), List.copyOf(copies.keySet()));
        assertEquals(new Delivery("u1", List.of(a1, a2), item), copies.get("a"));
        assertEquals(new Delivery("u1", List.of(b1), item), copies.get("b"));
    }

    @Test
    void noRoutesNoCopies() {
        assertEquals(Map.of(), RoutesByNode.split(new Delivery("u1", List.of(), new ReplayFinished(1L))));
    }
}
