package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.manifests.KubernetesManifests.EnvValue;
import io.kchat.manifests.KubernetesManifests.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** deploy/k8s: settings per workload, probes, requests, state volume, disruption budgets, autoscaling. */
class KubernetesTest {

    private static final KubernetesManifests K8S = KubernetesManifests.load();
    private static final ConfigurationReference REFERENCE = ConfigurationReference.load();

    static Stream<Service> deployed() {
        return Service.deployed().stream();
    }

    @Test
    void everyFileIsPartOfTheKustomization() throws IOException {
        Path dir = Repository.path(KubernetesManifests.DIR);
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> orphans = files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(".md"))
                    .map(Path::normalize)
                    .filter(f -> !K8S.files().contains(f)).toList();
            assertEquals(List.of(), orphans, "files kustomize would never apply");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployed")
    void everyRequiredSettingIsGivenAValue(Service service) {
        List<Workload> workloads = K8S.running(service);
        assertEquals(1, workloads.size(), "one workload runs the image of " + service);
        Map<String, EnvValue> environment = K8S.environment(workloads.getFirst().serviceContainer());
        List<String> missing = REFERENCE.requiredInDeployments(service).stream()
                .filter(variable -> !environment.containsKey(variable) || !environment.get(variable).given())
                .map(variable -> variable + " " + environment.get(variable)).toList();
        assertEquals(List.of(), missing, "required settings (docs/configuration.md) without a value in "
                + workloads.getFirst());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployed")
    void everyVariableSetIsDocumentedForItsService(Service service) {
        List<String> unknown = new ArrayList<>();
        for (Workload workload : K8S.running(service)) {
            K8S.environment(workload.serviceContainer()).forEach((variable, value) -> {
                if (!REFERENCE.allowsInDeployment(service, variable)) {
                    unknown.add(workload + ": " + variable + " (from " + value.source() + ")");
                }
            });
        }
        assertEquals(List.of(), unknown, "not a documented setting of its service (typo?)");
    }

    @Test
    void pendingSettingsAreSetWhereTheyArePending() {
        List<String> missing = new ArrayList<>();
        for (ConfigurationReference.Pending pending : REFERENCE.pending()) {
            for (Workload workload : K8S.running(pending.service())) {
                EnvValue value = K8S.environment(workload.serviceContainer()).get(pending.variable());
                if (value == null || !value.given()) {
                    missing.add(workload + ": " + pending.variable());
                }
            }
        }
        assertEquals(List.of(), missing, "a pending row exists because the deployment files set it");
    }

    @Test
    void everyContainerHasProbesOnDeclaredPortsAndResourceRequests() {
        assertFalse(K8S.workloads().isEmpty());
        List<String> problems = new ArrayList<>();
        for (Workload workload : K8S.workloads()) {
            for (Map<String, Object> container : workload.containers()) {
                String where = workload + " container " + container.get("name");
                Set<Object> ports = new HashSet<>();
                for (Object port : Yaml.listAt(container, "ports")) {
                    ports.add(Yaml.at(port, "name"));
                    ports.add(Yaml.at(port, "containerPort"));
                }
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    if (Yaml.at(container, probe) == null) {
                        problems.add(where + ": no " + probe);
                    }
                }
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    Object port = Yaml.at(container, probe, "httpGet", "port");
                    if (port != null && !ports.contains(port)) {
                        problems.add(where + ": " + probe + " on port " + port + ", which the container does not declare");
                    }
                }
                for (String resource : List.of("cpu", "memory")) {
                    if (Yaml.at(container, "resources", "requests", resource) == null) {
                        problems.add(where + ": no " + resource + " request");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theProcessorKeepsItsStateOnAClaimPerPodMountedAtItsStateDir() {
        Workload processor = K8S.running(Service.PROCESSOR).getFirst();
        assertEquals("StatefulSet", processor.kind(), "a StatefulSet keeps each pod's state volume");
        Map<String, Object> container = processor.serviceContainer();
        String stateDir = K8S.environment(container).get("CHAT_STATE_DIR").value();
        Set<String> claims = Yaml.listAt(processor.doc(), "spec", "volumeClaimTemplates").stream()
                .map(t -> Yaml.stringAt(t, "metadata", "name")).collect(Collectors.toSet());
        List<String> mountedClaims = Yaml.listAt(container, "volumeMounts").stream()
                .filter(m -> stateDir.equals(Yaml.stringAt(m, "mountPath")))
                .map(m -> Yaml.stringAt(m, "name")).filter(claims::contains).toList();
        assertEquals(1, mountedClaims.size(), "one volumeClaimTemplate " + claims + " mounted at CHAT_STATE_DIR " + stateDir);
    }

    @Test
    void workloadSelectorsMatchTheirPods() {
        for (Workload workload : K8S.workloads()) {
            assertFalse(workload.selector().isEmpty(), workload + " has a selector");
            assertTrue(workload.podLabels().entrySet().containsAll(workload.selector().entrySet()),
                    workload + ": selector " + workload.selector() + " does not match its pods " + workload.podLabels());
        }
    }

    @Test
    void everyWorkloadHasADisruptionBudget() {
        List<String> without = K8S.workloads().stream()
                .filter(w -> K8S.ofKind("PodDisruptionBudget").stream()
                        .noneMatch(pdb -> selects(Yaml.mapAt(pdb, "spec", "selector", "matchLabels"), w)))
                .map(Workload::toString).toList();
        assertEquals(List.of(), without, "workloads no PodDisruptionBudget selects");
    }

    @Test
    void servicesSelectWorkloads() {
        for (Map<String, Object> service : K8S.ofKind("Service")) {
            Map<String, Object> selector = Yaml.mapAt(service, "spec", "selector");
            assertTrue(K8S.workloads().stream().anyMatch(w -> selects(selector, w)),
                    "Service " + Yaml.stringAt(service, "metadata", "name") + " selects no pods");
        }
        for (Workload workload : K8S.workloads().stream().filter(w -> w.kind().equals("StatefulSet")).toList()) {
            String serviceName = Yaml.stringAt(workload.doc(), "spec", "serviceName");
            Map<String, Object> governing = K8S.find("Service", serviceName)
                    .orElseThrow(() -> new AssertionError(workload + ": no Service " + serviceName));
            assertEquals("None", Yaml.stringAt(governing, "spec", "clusterIP"), "the governing Service is headless");
        }
    }

    @Test
    void theGatewayScalesByAnAutoscaler() {
        Workload gateway = K8S.running(Service.GATEWAY).getFirst();
        assertEquals("Deployment", gateway.kind());
        List<Map<String, Object>> autoscalers = K8S.ofKind("HorizontalPodAutoscaler").stream()
                .filter(h -> gateway.name().equals(Yaml.stringAt(h, "spec", "scaleTargetRef", "name"))
                        && "Deployment".equals(Yaml.stringAt(h, "spec", "scaleTargetRef", "kind")))
                .toList();
        assertEquals(1, autoscalers.size(), "one HorizontalPodAutoscaler targets " + gateway);
        int min = ((Number) Yaml.at(autoscalers.getFirst(), "spec", "minReplicas")).intValue();
        assertTrue(min >= 2, "at least two gateways, so that one can drain while the other serves");
    }

    @Test
    void eachGatewayPodIsItsOwnNode() {
        EnvValue nodeId = K8S.environment(K8S.running(Service.GATEWAY).getFirst().serviceContainer()).get("CHAT_NODE_ID");
        assertEquals("downward API", nodeId.source(), "CHAT_NODE_ID is the pod's name: unique per pod");
    }

    private static boolean selects(Map<String, Object> selector, Workload workload) {
        return !selector.isEmpty() && workload.podLabels().entrySet().containsAll(selector.entrySet());
    }
}
