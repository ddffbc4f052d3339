package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docker-compose.yml: the settings each service needs, health-gated start-up, volumes, the scale profile. */
class ComposeTest {

    private static final ComposeFile COMPOSE = ComposeFile.load();
    private static final ConfigurationReference REFERENCE = ConfigurationReference.load();
    /** Containers that do one job and exit: no healthcheck, waited for with {@code service_completed_successfully}. */
    private static final Set<String> ONE_SHOT = Set.of("minio-init");

    static Stream<Service> deployed() {
        return Service.deployed().stream();
    }

    @Test
    void isAClassicV3FileWithoutName() {
        // Debian's docker-compose 1.29 validates it in CI: a top-level name: is refused there
        assertTrue(String.valueOf(COMPOSE.root().get("version")).startsWith("3"), "version: \"3.x\"");
        assertFalse(COMPOSE.root().containsKey("name"), "no top-level name:");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployed")
    void everyRequiredSettingIsGivenAValue(Service service) {
        Map<String, Map<String, Object>> instances = COMPOSE.running(service);
        assertFalse(instances.isEmpty(), "no compose service runs the image of " + service);
        List<String> missing = new ArrayList<>();
        instances.forEach((name, definition) -> {
            Map<String, String> environment = ComposeFile.environment(definition);
            for (String variable : REFERENCE.requiredInDeployments(service)) {
                if (!ComposeFile.givesValue(environment.get(variable))) {
                    missing.add(name + ": " + variable + "=" + environment.get(variable));
                }
            }
        });
        assertEquals(List.of(), missing, "required settings (docs/configuration.md) without a value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployed")
    void everyVariableSetIsDocumentedForItsService(Service service) {
        List<String> unknown = new ArrayList<>();
        COMPOSE.running(service).forEach((name, definition) -> ComposeFile.environment(definition).keySet().stream()
                .filter(variable -> !REFERENCE.allowsInDeployment(service, variable))
                .forEach(variable -> unknown.add(name + ": " + variable)));
        assertEquals(List.of(), unknown, "not a documented setting of its service (typo?)");
    }

    /** The file's promise (its header): the optional settings are listed too, passed through from the shell. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployed")
    void everySettingOfItsServiceIsListed(Service service) {
        List<String> unlisted = new ArrayList<>();
        COMPOSE.running(service).forEach((name, definition) -> {
            Set<String> listed = ComposeFile.environment(definition).keySet();
            REFERENCE.variables(service).stream().filter(variable -> !listed.contains(variable)).sorted()
                    .forEach(variable -> unlisted.add(name + ": " + variable));
        });
        assertEquals(List.of(), unlisted, "settings of docs/configuration.md that docker-compose.yml does not list");
    }

    @Test
    void pendingSettingsAreSetWhereTheyArePending() {
        List<String> missing = new ArrayList<>();
        for (ConfigurationReference.Pending pending : REFERENCE.pending()) {
            COMPOSE.running(pending.service()).forEach((name, definition) -> {
                if (!ComposeFile.givesValue(ComposeFile.environment(definition).get(pending.variable()))) {
                    missing.add(name + ": " + pending.variable());
                }
            });
        }
        assertEquals(List.of(), missing, "a pending row exists because the deployment files set it");
    }

    @Test
    void everyServiceHasAHealthcheck() {
        List<String> without = COMPOSE.services().entrySet().stream()
                .filter(s -> !ONE_SHOT.contains(s.getKey()))
                .filter(s -> Yaml.listAt(s.getValue(), "healthcheck", "test").isEmpty()
                        || Boolean.TRUE.equals(Yaml.at(s.getValue(), "healthcheck", "disable")))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), without, "services without a healthcheck test");
    }

    @Test
    void oneShotServicesRunOnceAndAreWaitedFor() {
        for (String name : ONE_SHOT) {
            assertEquals("no", Yaml.stringAt(COMPOSE.service(name), "restart"), name + " runs once");
            boolean waitedFor = COMPOSE.services().values().stream().anyMatch(definition -> "service_completed_successfully"
                    .equals(Yaml.stringAt(definition, "depends_on", name, "condition")));
            assertTrue(waitedFor, name + ": some service waits for it to complete");
        }
    }

    @Test
    void everyDependencyWaitsForHealth() {
        List<String> problems = new ArrayList<>();
        COMPOSE.services().forEach((name, definition) -> {
            Object dependsOn = Yaml.at(definition, "depends_on");
            if (dependsOn instanceof List<?>) {
                problems.add(name + ": depends_on as a list only waits for the start, not for health");
            } else if (dependsOn != null) {
                Yaml.map(dependsOn).forEach((target, condition) -> {
                    String expected = ONE_SHOT.contains(target) ? "service_completed_successfully" : "service_healthy";
                    if (!expected.equals(Yaml.stringAt(condition, "condition"))) {
                        problems.add(name + " -> " + target + ": condition " + Yaml.stringAt(condition, "condition"));
                    }
                    if (!COMPOSE.services().containsKey(target)) {
                        problems.add(name + " -> " + target + ": no such service");
                    }
                });
            }
        });
        assertEquals(List.of(), problems);
        for (Service service : Service.deployed()) {
            // the gateways also need the media bucket (D14)
            Set<String> needed = service == Service.GATEWAY ? Set.of("kafka", "postgres", "minio-init") : Set.of("kafka", "postgres");
            COMPOSE.running(service).forEach((name, definition) -> assertEquals(needed,
                    Yaml.mapAt(definition, "depends_on").keySet(), name + " starts once what it needs is ready"));
        }
    }

    @Test
    void volumesAreNamedAndDeclared() {
        List<String> problems = new ArrayList<>();
        COMPOSE.services().forEach((name, definition) -> {
            for (Object volume : Yaml.listAt(definition, "volumes")) {
                String source = volume.toString().split(":")[0];
                if (!COMPOSE.namedVolumes().contains(source)) {
                    problems.add(name + ": " + volume + " is not a declared named volume");
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void eachProcessorKeepsItsStateOnItsOwnVolume() {
        Map<String, Map<String, Object>> processors = COMPOSE.running(Service.PROCESSOR);
        assertTrue(processors.size() >= 2, "the scale profile runs a second processor");
        Set<String> volumesSeen = new HashSet<>();
        processors.forEach((name, definition) -> {
            String stateDir = ComposeFile.valueWithoutShell(ComposeFile.environment(definition).get("CHAT_STATE_DIR"));
            List<String> mounted = Yaml.listAt(definition, "volumes").stream().map(Object::toString)
                    .filter(v -> v.endsWith(":" + stateDir)).toList();
            assertEquals(1, mounted.size(), name + ": one named volume mounted at CHAT_STATE_DIR " + stateDir);
            assertTrue(volumesSeen.add(mounted.getFirst().split(":")[0]),
                    name + ": shares its state volume with another processor");
        });
    }

    @Test
    void gatewaysHaveStableDistinctNodeIdsAndPorts() {
        Map<String, Map<String, Object>> gateways = COMPOSE.running(Service.GATEWAY);
        assertTrue(gateways.size() >= 2, "the scale profile runs a second gateway");
        Set<String> nodeIds = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        gateways.forEach((name, definition) -> {
            String nodeId = ComposeFile.valueWithoutShell(ComposeFile.environment(definition).get("CHAT_NODE_ID"));
            assertTrue(nodeId != null && nodeIds.add(nodeId), name + ": CHAT_NODE_ID missing or shared: " + nodeId);
            for (Object port : Yaml.listAt(definition, "ports")) {
                String published = ComposeFile.valueWithoutShell(
                        port.toString().substring(0, port.toString().lastIndexOf(':')));
                assertTrue(hostPorts.add(published), name + ": host port " + published + " used twice");
            }
        });
        assertTrue(Yaml.listAt(COMPOSE.service("ingest-gateway-2"), "profiles").contains("scale"),
                "the second gateway runs only with --profile scale");
    }

    @Test
    void kafkaIsAKraftBrokerFromTheOfficialImage() {
        Map<String, Object> kafka = COMPOSE.service("kafka");
        assertTrue(Yaml.stringAt(kafka, "image").startsWith("apache/kafka:"), "official Apache Kafka image");
        Map<String, String> environment = ComposeFile.environment(kafka);
        assertTrue(environment.get("KAFKA_PROCESS_ROLES").contains("controller"), "KRaft: the node is a controller");
        assertEquals("false", environment.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"),
                "topics come from the catalogue, never from auto-creation");
    }

    @Test
    void gatewaysKeepMediaInTheBucketMinioInitCreates() {
        Map<String, Object> minio = COMPOSE.service("minio");
        assertTrue(Yaml.stringAt(minio, "image").matches("minio/minio:\\$\\{MINIO_VERSION:-RELEASE\\.[0-9TZ-]+}"),
                "MinIO pinned to a release, overridable by MINIO_VERSION: " + Yaml.stringAt(minio, "image"));
        assertTrue(Yaml.listAt(minio, "ports").stream().allMatch(port -> port.toString().startsWith("127.0.0.1:")),
                "MinIO, with its default root password, is published on the host's loopback only");
        Map<String, String> init = ComposeFile.environment(COMPOSE.service("minio-init"));
        Map<String, String> minioEnvironment = ComposeFile.environment(minio);
        COMPOSE.running(Service.GATEWAY).forEach((name, definition) -> {
            Map<String, String> environment = ComposeFile.environment(definition);
            assertEquals("http://minio:9000", ComposeFile.valueWithoutShell(environment.get("S3_ENDPOINT")), name);
            assertEquals(init.get("S3_BUCKET"), environment.get("S3_BUCKET"), name + ": the bucket minio-init creates");
            assertEquals(minioEnvironment.get("MINIO_ROOT_USER"), environment.get("S3_ACCESS_KEY"), name);
            assertEquals(minioEnvironment.get("MINIO_ROOT_PASSWORD"), environment.get("S3_SECRET_KEY"), name);
            assertEquals(init.get("S3_SECRET_KEY"), environment.get("S3_SECRET_KEY"), name);
        });
    }

    @Test
    void postgresDecodesLogically() {
        List<String> command = Yaml.listAt(COMPOSE.service("postgres"), "command").stream().map(Object::toString).toList();
        assertTrue(command.contains("wal_level=logical"), "the processor's Debezium engine needs logical decoding");
    }
}
