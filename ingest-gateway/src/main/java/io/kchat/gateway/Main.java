package io.kchat.gateway;

import io.kchat.settings.Settings;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Composition root of one gateway node, configured by the environment (see {@link GatewayConfig}). */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        GatewayConfig config = GatewayConfig.from(Settings.fromEnvironment());
        Gateway gateway = Gateway.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } catch (Exception e) {
                log.error("unclean shutdown", e);
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        log.info("ingest-gateway {} ready at {}://127.0.0.1:{}", config.nodeId(),
                config.tls().isPresent() ? "https" : "http", gateway.port());
        stopped.await();
    }
}
