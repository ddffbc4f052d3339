package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of one of two gateways while it holds unanswered sends (it is frozen with SIGSTOP first, so sends
 * are certainly in flight). Its clients reconnect to the other gateway, send again what got no ok (same id)
 * and get what they missed from their queues. Its sessions stop counting as online once the node misses its
 * heartbeats (guarantee 8): a user who stays away is offline within NODE_EXPIRY plus a reap interval, and
 * the online counts match the live sockets.
 */
class GatewayCrashIT {

    private static final Logger log = LoggerFactory.getLogger(GatewayCrashIT.class);
    /** NODE_EXPIRY (5 s) + NODE_REAP_INTERVAL (1 s) + a heartbeat, with room for a busy 2-core machine. */
    private static final Duration OFFLINE_WITHIN = Duration.ofSeconds(15);
    private static final Duration MOVED_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path stateRoot;
    private final FaultRun run = new FaultRun();

    @AfterEach
    void tearDown() {
        run.close();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void clientsOfAKilledGatewayMoveToTheOtherAndItsSessionsExpire() {
        run.start("gateway-crash", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 2, 33);
        ChatWorld world = run.world();
        int survivorPort = run.stack().gateway(1).port();
        ChatClient asker = world.clients().stream().filter(c -> c.port() == survivorPort).findFirst().orElseThrow();
        run.sendsOkd(100);
        run.secondDevicesLeave();
        List<ChatClient> onDoomed = world.clients().stream()
                .filter(c -> c.port() == run.stack().gateway(2).port() && !world.secondDevices().contains(c)).toList();
        ChatClient away = onDoomed.stream().filter(world::isOnlyDevice).findFirst().orElseThrow(); // stays away
        assertTrue(online(asker, away), "a connected user is online");

        away.suspend();
        run.stack().gateway(2).freeze();
        Waits.until(() -> onDoomed.stream().mapToInt(ChatClient::unconfirmedCount).sum() >= 3, MOVED_WITHIN,
                "no sends went to the frozen gateway");
        run.stack().gateway(2).kill9();
        long killedAt = System.nanoTime();
        List<ChatClient> moving = onDoomed.stream().filter(c -> c != away).toList();
        Waits.until(() -> moving.stream().allMatch(c -> c.isOnline() && c.port() == survivorPort), MOVED_WITHIN,
                "the clients of the dead gateway did not reconnect to the other one");
        run.sendsOkd(60);

        Waits.until(() -> !online(asker, away), OFFLINE_WITHIN, "the user of the dead node is still online");
        log.info("the user left on the dead node was offline {} ms after the kill",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        Waits.until(() -> onlineStatsMatch(asker), OFFLINE_WITHIN, "online counts still include the dead node");

        away.resume();
        run.secondDevicesReturn();
        run.echoesArrive(60);
        run.finishAndCheck();
        assertTrue(onDoomed.stream().mapToLong(ChatClient::retransmissions).sum() >= 3,
                "the sends the dead gateway left unanswered were sent again");
    }

    private boolean online(ChatClient asker, ChatClient user) {
        Rest.Response presence = run.world().rest().get("/v1/users/" + user.userId() + "/presence",
                run.world().tokenOf(asker));
        return presence.status() == 200 && presence.body().path("online").asBoolean();
    }

    /** {@code GET /v1/stats/online} counts exactly the sockets open now, all on the live gateway. */
    private boolean onlineStatsMatch(ChatClient asker) {
        List<ChatClient> connected = run.world().clients().stream().filter(ChatClient::isOnline).toList();
        JsonNode stats = run.world().rest().get("/v1/stats/online", run.world().tokenOf(asker)).body();
        long users = connected.stream().map(ChatClient::userId).distinct().count();
        log.info("online stats {}; clients connected: {} devices of {} users", stats, connected.size(), users);
        return stats.path("connections").asLong() == connected.size() && stats.path("users").asLong() == users;
    }
}
