package io.kchat.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A docker-archive tarball as {@code docker load} reads it: manifest.json (tags, layer order), the image
 * config, and the gzipped layers, merged into one file tree the way a container sees it.
 */
final class ImageArchive {

    /** A file, directory or link of the merged tree; {@code content} only for the paths asked for. */
    record Entry(String path, int mode, long uid, long gid, long size, boolean directory, byte[] content) {
        boolean isExecutable() {
            return (mode & 0111) != 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode manifest;
    private final JsonNode config;
    private final Map<String, Long> layerSizes;
    private final Map<String, Entry> entries;

    private ImageArchive(JsonNode manifest, JsonNode config, Map<String, Long> layerSizes, Map<String, Entry> entries) {
        this.manifest = manifest;
        this.config = config;
        this.layerSizes = layerSizes;
        this.entries = entries;
    }

    /** Reads the archive; keeps the content of the files whose image path {@code keepContent} accepts. */
    static ImageArchive read(Path tarball, Predicate<String> keepContent) throws IOException {
        Map<String, byte[]> metadata = new HashMap<>();
        Map<String, Long> blobSizes = new HashMap<>();
        forEachOuterEntry(tarball, (entry, in) -> {
            if (entry.getName().endsWith(".json")) {
                metadata.put(entry.getName(), in.readAllBytes());
            } else {
                blobSizes.put(entry.getName(), entry.getSize());
            }
        });
        JsonNode manifest = JSON.readTree(metadata.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(metadata.get(manifest.get("Config").asText()));
        List<String> layers = layers(manifest);
        Map<String, Long> layerSizes = new LinkedHashMap<>();
        layers.forEach(layer -> layerSizes.put(layer, blobSizes.get(layer)));

        Map<String, Map<String, Entry>> byLayer = new HashMap<>();
        forEachOuterEntry(tarball, (entry, in) -> {
            if (layers.contains(entry.getName())) {
                byLayer.put(entry.getName(), layerEntries(in, keepContent));
            }
        });
        Map<String, Entry> merged = new LinkedHashMap<>();
        layers.forEach(layer -> merged.putAll(byLayer.get(layer)));
        return new ImageArchive(manifest, config, layerSizes, merged);
    }

    /** Unpacks every layer, in order, under {@code dir}: the container's root file system. */
    static void extract(Path tarball, Path dir) throws IOException {
        Map<String, byte[]> metadata = new HashMap<>();
        forEachOuterEntry(tarball, (entry, in) -> {
            if (entry.getName().equals("manifest.json")) {
                metadata.put(entry.getName(), in.readAllBytes());
            }
        });
        List<String> layers = layers(JSON.readTree(metadata.get("manifest.json")).get(0));
        Map<String, Path> blobs = new HashMap<>();
        Path blobDir = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-blobs"));
        forEachOuterEntry(tarball, (entry, in) -> {
            if (layers.contains(entry.getName())) {
                Path blob = blobDir.resolve(entry.getName());
                Files.copy(in, blob);
                blobs.put(entry.getName(), blob);
            }
        });
        for (String layer : layers) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(blobs.get(layer)));
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path target = dir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new IOException("layer entry escapes the root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                }
            }
            Files.delete(blobs.get(layer));
        }
        Files.delete(blobDir);
    }

    JsonNode manifest() {
        return manifest;
    }

    /** The image config's {@code config} object: Entrypoint, Env, User, Labels, ExposedPorts, Volumes... */
    JsonNode containerConfig() {
        return config.get("config");
    }

    JsonNode imageConfig() {
        return config;
    }

    /** The size of each gzipped layer, in the image's order: what a registry stores and a pull fetches. */
    Map<String, Long> layerSizes() {
        return layerSizes;
    }

    long compressedSize() {
        return layerSizes.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<String, Entry> entries() {
        return entries;
    }

    Entry entry(String path) {
        Entry entry = entries.get(path);
        if (entry == null) {
            throw new AssertionError(path + " is not in the image");
        }
        return entry;
    }

    List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        containerConfig().path("Entrypoint").forEach(word -> entrypoint.add(word.asText()));
        return entrypoint;
    }

    /** The value of {@code NAME=value} in the image's environment, or null. */
    String environment(String name) {
        for (JsonNode variable : containerConfig().path("Env")) {
            String text = variable.asText();
            if (text.startsWith(name + "=")) {
                return text.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static List<String> layers(JsonNode manifest) {
        List<String> layers = new ArrayList<>();
        manifest.get("Layers").forEach(layer -> layers.add(layer.asText()));
        return layers;
    }

    private static Map<String, Entry> layerEntries(InputStream gzipped, Predicate<String> keepContent) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        // not closed: closing would close the outer archive's stream, which is read on
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(gzipped));
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            String path = "/" + entry.getName().replaceAll("/+$", "");
            byte[] content = !entry.isDirectory() && keepContent.test(path) ? tar.readAllBytes() : null;
            entries.put(path, new Entry(path, entry.getMode(), entry.getLongUserId(), entry.getLongGroupId(),
                    entry.getSize(), entry.isDirectory(), content));
        }
        return entries;
    }

    private interface EntryConsumer {
        void accept(TarArchiveEntry entry, InputStream in) throws IOException;
    }

    private static void forEachOuterEntry(Path tarball, EntryConsumer consumer) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                consumer.accept(entry, tar);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high to low
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }
}
