package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewaysTest {

    @Test
    void oneUrlIsOneGatewayThatEverySocketUses() {
        Gateways one = Gateways.parse("http://127.0.0.1:18080");

        assertEquals(List.of(URI.create("http://127.0.0.1:18080")), one.bases());
        for (int socket = 0; socket < 10; socket++) {
            assertEquals(0, one.of(socket));
        }
        // the endpoint BenchApi built from the one URL before --url took a list
        assertEquals(URI.create("ws://127.0.0.1:18080/v1/ws"), new BenchApi(one).webSocket(7));
        assertEquals(new BenchApi(URI.create("http://127.0.0.1:18080")).webSocket(), new BenchApi(one).webSocket(3));
    }

    @Test
    void aCommaSeparatedListIsOneGatewayPerUrlInOrder() {
        Gateways gateways = Gateways.parse(" http://127.0.0.1:18080,http://127.0.0.1:18081/ ,, https://h:8443 ");

        assertEquals(List.of(URI.create("http://127.0.0.1:18080"), URI.create("http://127.0.0.1:18081"),
                URI.create("https://h:8443")), gateways.bases());
        assertEquals(URI.create("ws://127.0.0.1:18081/v1/ws"), Gateways.webSocket(gateways.bases().get(1)));
        assertEquals(URI.create("wss://h:8443/v1/ws"), Gateways.webSocket(gateways.bases().get(2)));
        assertEquals(URI.create("http://127.0.0.1:18081"), gateways.baseOf(4));
    }

    @Test
    void refusesAnEmptyListADuplicateAndSomethingThatIsNoHttpUrl() {
        assertThrows(IllegalArgumentException.class, () -> Gateways.parse(" , "));
        assertThrows(IllegalArgumentException.class,
                () -> Gateways.parse("http://127.0.0.1:18080,http://127.0.0.1:18080"));
        assertThrows(IllegalArgumentException.class, () -> Gateways.parse("127.0.0.1:18080"));
        assertThrows(IllegalArgumentException.class, () -> Gateways.parse("ws://127.0.0.1:18080"));
    }

    @Test
    void theTwoMembersOfEveryPairAreOnDifferentGateways() {
        for (int count = 2; count <= 5; count++) {
            Gateways gateways = Gateways.parse(urls(count));
            List<List<Integer>> pairs = ChatLoad.memberSockets(100, 2);
            assertEquals(50, pairs.size());
            for (List<Integer> pair : pairs) {
                assertNotEquals(gateways.of(pair.get(0)), gateways.of(pair.get(1)),
                        "pair " + pair + " with " + count + " gateways");
            }
        }
    }

    @Test
    void theSocketsAreSpreadEvenlyAndAGroupSpansEveryGateway() {
        Gateways gateways = Gateways.parse(urls(3));
        int[] placed = new int[3];
        for (int socket = 0; socket < 99; socket++) {
            placed[gateways.of(socket)]++;
        }
        assertEquals(List.of(33, 33, 33), List.of(placed[0], placed[1], placed[2]));
        for (List<Integer> group : ChatLoad.memberSockets(40, 4)) {
            Set<Integer> used = new HashSet<>();
            group.forEach(m -> used.add(gateways.of(m)));
            assertEquals(Set.of(0, 1, 2), used, "group " + group);
        }
    }

    @Test
    void conversationsAreRunsOfConsecutiveSockets() {
        List<List<Integer>> groups = ChatLoad.memberSockets(9, 3);

        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8)), groups);
    }

    private static String urls(int count) {
        StringBuilder urls = new StringBuilder();
        for (int g = 0; g < count; g++) {
            urls.append(g == 0 ? "" : ",").append("http://127.0.0.1:").append(18080 + g);
        }
        return urls.toString();
    }
}
