package io.kchat.local;

import io.kchat.observability.LogFormat;
import io.kchat.settings.Settings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code ./chat-local}: the embedded broker and database plus all three services in one process.
 * Each service is started exactly as its own Main would, from the same environment variables.
 */
public final class ChatLocal {

    private static final Logger log = LoggerFactory.getLogger(ChatLocal.class);
    /** Contract output for people and scripts: bare lines on stdout. */
    private static final Logger console = LoggerFactory.getLogger("kchat.console");

    private ChatLocal() {
    }

    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Settings settings = Settings.fromEnvironment();
        LogFormat.of(settings.get(LocalConfig.LOG_FORMAT)); // logback picked its appender by it: refuse a name it lacks
        LocalConfig config = LocalConfig.from(settings, args);
        long started = System.nanoTime();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(running, stopped), "shutdown"));
        try {
            LocalInfrastructure infra = LocalInfrastructure.start(config);
            running.push(infra);
            if (config.infraOnly()) {
                infra.serviceEnvironment().forEach((key, value) -> console.info("{}={}", key, value));
                console.info("ready");
            } else {
                LocalServices services = LocalServices.start(serviceEnvironment(config, infra));
                running.push(services);
                console.info("kchat ready at http://127.0.0.1:{} (WebSocket ws://127.0.0.1:{}/v1/ws, health /health, "
                        + "metrics /metrics) in {} ms", services.port(), services.port(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (Exception e) {
            log.error("kchat failed to start", e);
            System.exit(1);
        }
        stopped.await();
    }

    private static Map<String, String> serviceEnvironment(LocalConfig config, LocalInfrastructure infra) {
        Map<String, String> env = new HashMap<>(Settings.environment());
        env.putAll(infra.serviceEnvironment());
        env.put("CHAT_PORT", Integer.toString(config.httpPort()));
        env.put("CHAT_NODE_ID", config.nodeId());
        env.putIfAbsent("CHAT_STATE_DIR", config.dataDir().resolve("streams").toString());
        return env;
    }

    private static void stopAll(Deque<AutoCloseable> running, CountDownLatch stopped) {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.error("failed to stop {}", next, e);
            }
        }
        stopped.countDown();
    }
}
