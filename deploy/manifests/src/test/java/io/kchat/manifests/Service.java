package io.kchat.manifests;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The names docs/configuration.md uses in its {@code service} column, with where each one's code is and which
 * image runs it. {@link #JVM} stands for variables the JVM itself reads in every image.
 */
enum Service {
    GATEWAY("gateway", "kchat/ingest-gateway", List.of("ingest-gateway/src/main/java")),
    // both start through observability's ServiceRuntime, which reads LOG_FORMAT and HEALTH_PORT for them
    PROCESSOR("processor", "kchat/streams-processor",
            List.of("streams-processor/src/main/java", "observability/src/main/java")),
    DELIVERY("delivery", "kchat/delivery-service",
            List.of("delivery-service/src/main/java", "observability/src/main/java")),
    ASSISTANT("assistant", "kchat/assistant-worker",
            List.of("assistant-worker/src/main/java", "observability/src/main/java")),
    CHAT_LOCAL("chat-local", null, List.of("deploy/chat-local/src/main/java", "chat-local")),
    JVM("jvm", null, List.of());

    private final String docName;
    private final String image;
    private final List<String> sources;

    Service(String docName, String image, List<String> sources) {
        this.docName = docName;
        this.image = image;
        this.sources = sources;
    }

    String docName() {
        return docName;
    }

    /** The image repository (without tag) of a deployed service; empty for chat-local and the JVM. */
    Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** Source directories and scripts, relative to the repository root, whose environment reads are checked. */
    List<String> sources() {
        return sources;
    }

    static List<Service> deployed() {
        return Arrays.stream(values()).filter(s -> s.image != null).toList();
    }

    static Service ofDocName(String name) {
        return Arrays.stream(values()).filter(s -> s.docName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "'"));
    }

    /** The deployed service running {@code image} ({@code repository[:tag]}), if it is one of ours. */
    static Optional<Service> ofImage(String image) {
        int tag = image.lastIndexOf(':');
        String repository = tag > image.lastIndexOf('/') ? image.substring(0, tag) : image;
        return deployed().stream().filter(s -> s.image.equals(repository)).findFirst();
    }

    @Override
    public String toString() {
        return docName;
    }
}
