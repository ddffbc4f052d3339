package io.kchat.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.db.Database;
import io.kchat.infra.SharedInfrastructure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Gateways sharing one database agree on one signing key, however they start. */
class SigningKeysIT {

    @Test
    void gatewaysStartingTogetherGenerateOneKey() throws Exception {
        var postgres = SharedInfrastructure.postgres();
        String url = SharedInfrastructure.freshDatabase("SigningKeysIT");
        try (Database first = Database.start(url, postgres.user(), postgres.password(), 2);
             Database second = Database.start(url, postgres.user(), postgres.password(), 2);
             ExecutorService threads = Executors.newFixedThreadPool(2)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SigningKeys>> loads = new ArrayList<>();
            for (Database database : List.of(first, second)) {
                loads.add(threads.submit(() -> {
                    go.await();
                    return SigningKeys.load(database, Clock.systemUTC());
                }));
            }
            go.countDown();
            SigningKeys a = loads.get(0).get();
            SigningKeys b = loads.get(1).get();

            assertEquals(a.current().kid(), b.current().kid());
            assertEquals(1, a.verificationKeys().size());
            assertEquals(a.current().kid(), SigningKeys.load(first, Clock.systemUTC()).current().kid(),
                    "a restart reuses the stored key");

            String token = new JwtAccessTokens(a, AuthConfig.defaults(), Clock.systemUTC()).issue("u", "d", "f").token();
            assertEquals("u", new JwtAccessTokens(b, AuthConfig.defaults(), Clock.systemUTC()).verify(token).userId());
        }
    }
}
