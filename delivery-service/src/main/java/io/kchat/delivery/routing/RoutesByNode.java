package io.kchat.delivery.routing;

import io.kchat.events.Delivery;
import io.kchat.events.SessionRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits one delivery into one copy per gateway node, each naming only that node's sessions. */
final class RoutesByNode {

    private RoutesByNode() {
    }

    /** Node id to the copy for that node, in the order the nodes first appear in the routes. */
    static Map<String, Delivery> split(Delivery delivery) {
        Map<String, List<SessionRoute>> routesByNode = new LinkedHashMap<>();
        for (SessionRoute route : delivery.getRoutes()) {
            routesByNode.computeIfAbsent(route.getNodeId(), node -> new ArrayList<>()).add(route);
        }
        Map<String, Delivery> copies = new LinkedHashMap<>();
        routesByNode.forEach((node, routes) ->
                copies.put(node, new Delivery(delivery.getUserId(), routes, delivery.getItem())));
        return copies;
    }
}
