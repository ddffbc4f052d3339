package io.kchat.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings that mean the same in every service reading them, declared once here; each service's catalogue lists
 * those it reads. Where a service differs (the delivery-service has no default broker), it declares its own.
 */
public final class SharedSettings {

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.text("KAFKA_BOOTSTRAP_SERVERS",
            "127.0.0.1:9092", "Kafka brokers (host:port, comma-separated)").deploy();
    public static final Setting<Integer> KAFKA_REPLICATION_FACTOR = Setting.integer("KAFKA_REPLICATION_FACTOR", 1,
            "replication factor of the topics the service creates when they are missing").deploy();
    public static final Setting<String> CHAT_TOPIC_PREFIX = Setting.text("CHAT_TOPIC_PREFIX", "",
            "prefix of every topic name, consumer group and application id: lets several stacks share one cluster");
    /** Required where the service cannot work without the database; the processor declares its own, optional. */
    public static final Setting<String> DATABASE_URL = Setting.requiredText("DATABASE_URL",
            "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/kchat");
    public static final Setting<String> DATABASE_USER = Setting.text("DATABASE_USER", "postgres", "database user")
            .deploy();
    public static final Setting<String> DATABASE_PASSWORD = Setting.text("DATABASE_PASSWORD", "",
            "database password").deploy();

    /**
     * How long the topics that hold messages or what they say keep records (TopicCatalogue's message topics), where a
     * service creates a missing one; the default is TopicCatalogue.DEFAULT_MESSAGE_RETENTION (D12).
     */
    public static final Setting<Duration> MESSAGE_RETENTION = Setting.duration("MESSAGE_RETENTION",
            Duration.ofDays(37), "how long Kafka keeps the message topics' records (a deleted message's content "
                    + "stays there until then)");

    /*
     * Push (D15): the gateway accepts at registration exactly what the delivery-service's push sender will call, so
     * both read the same names; one deployment setting moves both ends.
     */
    public static final Setting<Boolean> PUSH_ALLOW_HTTP = Setting.flag("PUSH_ALLOW_HTTP", false,
            "Web Push endpoints may be plain http (tests, a local push service)");
    public static final Setting<Boolean> PUSH_ALLOW_PRIVATE_ENDPOINTS = Setting.flag("PUSH_ALLOW_PRIVATE_ENDPOINTS",
            false, "Web Push endpoints may be in private, loopback or link-local ranges (a push service inside the "
                    + "network)");
    public static final Setting<String> PUSH_GATEWAY_URL = Setting.optionalText("PUSH_GATEWAY_URL",
            "subscriptions of kind gateway are refused (503) and get no push",
            "http(s) URL of a push gateway (Matrix push-gateway shape) holding the FCM or APNs credentials");

    /*
     * The assistant (D15): the gateway offers assistant conversations exactly when the assistant worker has a model to
     * call, so both read these two names (the API key only the worker reads).
     */
    public static final Setting<String> ASSISTANT_BASE_URL = Setting.optionalText("ASSISTANT_BASE_URL",
            "no assistant: POST /v1/assistant/conversations answers 503 and the worker idles",
            "base URL of an OpenAI-compatible API, up to and including /v1 (the worker POSTs to "
                    + "<base>/chat/completions)");
    public static final Setting<String> ASSISTANT_MODEL = Setting.optionalText("ASSISTANT_MODEL",
            "no assistant (as for ASSISTANT_BASE_URL)", "the model the chat-completions requests name");

    private SharedSettings() {
    }

    /** {@link #PUSH_GATEWAY_URL} when set: an absolute http(s) URL with a host, or a {@link SettingException}. */
    public static Optional<URI> pushGatewayUrl(Settings settings) {
        return settings.find(PUSH_GATEWAY_URL).map(text -> httpUrl(PUSH_GATEWAY_URL, text));
    }

    /**
     * The assistant's model when both {@link #ASSISTANT_BASE_URL} and {@link #ASSISTANT_MODEL} are set; empty when
     * neither is; a {@link SettingException} when only one is or the URL is not an absolute http(s) URL.
     */
    public static Optional<AssistantModel> assistantModel(Settings settings) {
        Optional<String> baseUrl = settings.find(ASSISTANT_BASE_URL);
        Optional<String> model = settings.find(ASSISTANT_MODEL);
        if (baseUrl.isEmpty() && model.isEmpty()) {
            return Optional.empty();
        }
        if (baseUrl.isEmpty() || model.isEmpty()) {
            throw new SettingException(ASSISTANT_BASE_URL.name() + " and " + ASSISTANT_MODEL.name()
                    + " are set together or not at all");
        }
        return Optional.of(new AssistantModel(httpUrl(ASSISTANT_BASE_URL, baseUrl.get()), model.get().trim()));
    }

    private static URI httpUrl(Setting<String> setting, String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new SettingException(setting.name() + " must be an absolute http(s) URL: " + text);
    }

    /** {@link #KAFKA_REPLICATION_FACTOR} as the Admin client takes it. */
    public static short replicationFactor(Settings settings) {
        int factor = settings.get(KAFKA_REPLICATION_FACTOR);
        if (factor < 1 || factor > Short.MAX_VALUE) {
            throw new SettingException(KAFKA_REPLICATION_FACTOR.name() + "=" + factor + ": must be between 1 and "
                    + Short.MAX_VALUE);
        }
        return (short) factor;
    }
}
