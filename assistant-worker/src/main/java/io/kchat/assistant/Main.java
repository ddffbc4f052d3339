package io.kchat.assistant;

import io.kchat.assistant.model.ChatModel;
import io.kchat.assistant.model.OpenAiChatModel;
import io.kchat.assistant.model.Sleeper;
import io.kchat.observability.Health;
import io.kchat.observability.ServiceRuntime;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.kchat.settings.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry of the assistant worker: configuration from the environment ({@link AssistantConfig#from}), the catalogue
 * topics, then {@link AssistantWorker}. {@code /health/*} and {@code /metrics} are served on HEALTH_PORT (8081) from
 * before the start until after the stop; SIGTERM closes it cleanly. Without a model configured the assistant is off:
 * nothing starts, and the worker reports ready.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        AssistantConfig config = AssistantConfig.from(settings);
        ServiceRuntime runtime = ServiceRuntime.start(settings);
        AssistantService service = runtime.startService((registry, health) -> start(config, registry, health));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            runtime.close();
        }, "assistant-shutdown"));
        service.awaitTermination();
        if (service.failure() != null) {
            // let the orchestrator restart us rather than stay up with a loop missing
            System.exit(1);
        }
    }

    /** With the configured OpenAI-compatible model: the entry of main and of the in-process launcher. */
    public static AssistantService start(AssistantConfig config, MeterRegistry registry, Health health) {
        return start(config, Main::openAiModel, registry, health);
    }

    /**
     * Provisions (or verifies, D6) the catalogue topics, migrates the database and starts the worker with the model
     * {@code models} makes, reporting into {@code registry} and {@code health}. Without a model configured it starts
     * nothing and reports ready.
     */
    public static AssistantService start(AssistantConfig config, ModelFactory models, MeterRegistry registry,
                                         Health health) {
        if (config.model().isEmpty()) {
            log.info("the assistant is off: ASSISTANT_BASE_URL and ASSISTANT_MODEL are not set, no question is "
                    + "answered");
            health.serving();
            return new Idle();
        }
        TopicCatalogue catalogue = config.catalogue();
        try (Admin admin = Admin.create(config.adminProperties())) {
            new TopicProvisioner(admin, config.replicationFactor()).ensure(catalogue.shared());
        }
        Clock clock = Clock.systemUTC();
        AssistantWorker worker = AssistantWorker.start(config, models.create(config, clock), clock, registry, health);
        log.info("assistant-worker ready: answering as group {} with model {}", config.groupId(),
                config.model().get().model());
        return worker;
    }

    /** The HTTP client of the model (package io.kchat.assistant.model), made from the configuration. */
    private static ChatModel openAiModel(AssistantConfig config, Clock clock) {
        return new OpenAiChatModel(config.model().orElseThrow(), clock, Sleeper.REAL);
    }

    /** The assistant off: nothing runs; ready until closed. */
    private static final class Idle implements AssistantService {

        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void awaitTermination() throws InterruptedException {
            closed.await();
        }

        @Override
        public Throwable failure() {
            return null;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
