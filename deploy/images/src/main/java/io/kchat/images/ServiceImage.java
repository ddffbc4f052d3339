package io.kchat.images;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What differs between the three services' images. The main class is not here: it comes from the service's
 * runnable jar (its manifest), so the image cannot disagree with {@code java -jar}.
 *
 * @param module      the Maven module, also the image's name ({@code kchat/<module>}) and the jar's name
 * @param description the {@code org.opencontainers.image.description} label
 * @param ports       TCP ports the service listens on (health and, for the gateway, the clients')
 * @param environment defaults the deployment may override
 * @param volumes     directories that must outlive the container, created owned by the service's user
 */
public record ServiceImage(String module, String description, List<Integer> ports, Map<String, String> environment,
                           List<String> volumes) {

    /** Kafka Streams' RocksDB stores: on a volume, so a restart does not restore them from the changelogs. */
    static final String STATE_DIR = "/var/lib/kchat/streams";

    public static final List<ServiceImage> ALL = List.of(
            new ServiceImage("ingest-gateway", "kchat WSS/HTTPS edge",
                    List.of(8080), Map.of("CHAT_PORT", "8080"), List.of()),
            new ServiceImage("streams-processor", "kchat Kafka Streams processor",
                    List.of(8081), Map.of("HEALTH_PORT", "8081", "CHAT_STATE_DIR", STATE_DIR), List.of(STATE_DIR)),
            new ServiceImage("delivery-service", "kchat delivery to gateway nodes and read models",
                    List.of(8081), Map.of("HEALTH_PORT", "8081"), List.of()),
            new ServiceImage("assistant-worker", "kchat assistant: answers with an OpenAI-compatible model",
                    List.of(8081), Map.of("HEALTH_PORT", "8081"), List.of()));

    public static ServiceImage named(String module) {
        return ALL.stream().filter(s -> s.module().equals(module)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no image for module " + module + "; known: "
                        + ALL.stream().map(ServiceImage::module).toList()));
    }
}
