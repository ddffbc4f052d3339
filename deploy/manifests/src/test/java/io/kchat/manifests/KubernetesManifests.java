package io.kchat.manifests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * deploy/k8s as {@code kustomize build} would see it: the resources its kustomization tree lists and the
 * ConfigMaps it generates (without the name hash, which kustomize also applies to the references).
 */
final class KubernetesManifests {

    static final String DIR = "deploy/k8s";
    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet");

    private final List<Map<String, Object>> resources = new ArrayList<>();
    private final Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    private final Set<Path> files = new TreeSet<>();

    private KubernetesManifests() {
    }

    static KubernetesManifests load() {
        KubernetesManifests manifests = new KubernetesManifests();
        manifests.addKustomization(Repository.path(DIR));
        return manifests;
    }

    List<Map<String, Object>> resources() {
        return resources;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name.equals(Yaml.stringAt(r, "metadata", "name"))).findFirst();
    }

    List<Workload> workloads() {
        return resources.stream().filter(r -> WORKLOAD_KINDS.contains(String.valueOf(r.get("kind"))))
                .map(Workload::new).toList();
    }

    List<Workload> running(Service service) {
        return workloads().stream().filter(w -> w.service().equals(Optional.of(service))).toList();
    }

    /** Every file the kustomization tree reads: the kustomizations, their resources and the env files. */
    Set<Path> files() {
        return files;
    }

    /**
     * The environment of a container as the kubelet would set it: envFrom ConfigMaps (generated or declared),
     * then env entries. A variable taken from a Secret or the downward API has a value only at run time;
     * {@link EnvValue#given()} tells whether it is sure to have one.
     */
    Map<String, EnvValue> environment(Map<String, Object> container) {
        Map<String, EnvValue> environment = new LinkedHashMap<>();
        for (Object source : Yaml.listAt(container, "envFrom")) {
            String prefix = Optional.ofNullable(Yaml.stringAt(source, "prefix")).orElse("");
            String configMap = Yaml.stringAt(source, "configMapRef", "name");
            if (configMap == null) {
                throw new AssertionError("envFrom other than a configMapRef (" + source + "): name Secret values one by "
                        + "one with env[].valueFrom.secretKeyRef, so that the workload shows which variables it gets");
            }
            configMap(configMap).forEach((key, value) -> environment.put(prefix + key,
                    new EnvValue(value, !value.isEmpty(), "ConfigMap " + configMap)));
        }
        for (Object entry : Yaml.listAt(container, "env")) {
            String name = Yaml.stringAt(entry, "name");
            environment.put(name, envValue(entry));
        }
        return environment;
    }

    Map<String, String> configMap(String name) {
        Map<String, String> data = configMaps.get(name);
        if (data == null) {
            throw new AssertionError("ConfigMap " + name + " is neither generated nor declared in " + DIR);
        }
        return data;
    }

    private EnvValue envValue(Object entry) {
        String name = Yaml.stringAt(entry, "name");
        if (Yaml.at(entry, "value") != null) {
            String value = Yaml.stringAt(entry, "value");
            return new EnvValue(value, !value.isEmpty(), "value");
        }
        Map<String, Object> from = Yaml.mapAt(entry, "valueFrom");
        if (from.containsKey("secretKeyRef")) {
            boolean optional = Boolean.TRUE.equals(Yaml.at(from, "secretKeyRef", "optional"));
            return new EnvValue(null, !optional, "Secret " + Yaml.stringAt(from, "secretKeyRef", "name"));
        }
        if (from.containsKey("configMapKeyRef")) {
            String map = Yaml.stringAt(from, "configMapKeyRef", "name");
            String value = configMap(map).get(Yaml.stringAt(from, "configMapKeyRef", "key"));
            if (value == null) {
                throw new AssertionError(name + " refers to a key missing from ConfigMap " + map);
            }
            return new EnvValue(value, !value.isEmpty(), "ConfigMap " + map);
        }
        if (from.containsKey("fieldRef") || from.containsKey("resourceFieldRef")) {
            return new EnvValue(null, true, "downward API");
        }
        return new EnvValue(null, false, "nothing");
    }

    private void addKustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        files.add(file);
        Map<String, Object> kustomization = Yaml.documents(Repository.read(file)).getFirst();
        for (Object entry : Yaml.listAt(kustomization, "resources")) {
            Path resource = dir.resolve(entry.toString()).normalize();
            if (Files.isDirectory(resource)) {
                addKustomization(resource);
            } else {
                files.add(resource);
                resources.addAll(Yaml.documents(Repository.read(resource)));
            }
        }
        for (Object generator : Yaml.listAt(kustomization, "configMapGenerator")) {
            Map<String, String> data = new LinkedHashMap<>();
            for (Object envs : Yaml.listAt(generator, "envs")) {
                Path envFile = dir.resolve(envs.toString()).normalize();
                files.add(envFile);
                data.putAll(EnvFile.parse(Repository.read(envFile)));
            }
            for (Object literal : Yaml.listAt(generator, "literals")) {
                data.putAll(EnvFile.parse(literal.toString()));
            }
            configMaps.put(Yaml.stringAt(generator, "name"), data);
        }
        for (Map<String, Object> map : resources.stream().filter(r -> "ConfigMap".equals(r.get("kind"))).toList()) {
            Map<String, String> data = new LinkedHashMap<>();
            Yaml.mapAt(map, "data").forEach((k, v) -> data.put(k, String.valueOf(v)));
            configMaps.putIfAbsent(Yaml.stringAt(map, "metadata", "name"), data);
        }
    }

    /** A variable's value in a workload; {@code value} is null when it comes from a Secret or the downward API. */
    record EnvValue(String value, boolean given, String source) {
    }

    /** A Deployment or StatefulSet. */
    record Workload(Map<String, Object> doc) {

        String kind() {
            return String.valueOf(doc.get("kind"));
        }

        String name() {
            return Yaml.stringAt(doc, "metadata", "name");
        }

        Map<String, Object> podSpec() {
            return Yaml.mapAt(doc, "spec", "template", "spec");
        }

        Map<String, Object> podLabels() {
            return Yaml.mapAt(doc, "spec", "template", "metadata", "labels");
        }

        Map<String, Object> selector() {
            return Yaml.mapAt(doc, "spec", "selector", "matchLabels");
        }

        List<Map<String, Object>> containers() {
            return Yaml.listAt(podSpec(), "containers").stream().map(Yaml::map).toList();
        }

        /** The kchat service whose image the workload runs, if any. */
        Optional<Service> service() {
            return containers().stream().map(c -> Yaml.stringAt(c, "image")).filter(i -> i != null)
                    .map(Service::ofImage).flatMap(Optional::stream).findFirst();
        }

        /** The container running our image. */
        Map<String, Object> serviceContainer() {
            return containers().stream().filter(c -> Service.ofImage(Yaml.stringAt(c, "image")).isPresent())
                    .findFirst().orElseThrow(() -> new AssertionError(kind() + " " + name() + " runs no kchat image"));
        }

        @Override
        public String toString() {
            return kind() + " " + name();
        }
    }
}
