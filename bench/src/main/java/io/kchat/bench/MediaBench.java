package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mode {@code media}: {@code POST /v1/media} and {@code GET /v1/media/{id}} of one file of {@code --size-mib} MiB,
 * {@code --repeat} times each, one at a time (the throughput of one transfer on loopback, through the gateway to the
 * stack's S3 server and back); then {@code --concurrent} uploads of that size at once, timed; then the same again
 * while the gateway's heap is read every 500 ms (through {@code jcmd}: live heap after a forced full collection, and
 * used heap without forcing one). Were uploads held in memory, the live heap would grow by their size; streamed, it
 * stays near its idle size. Uploads stream from the client too (a PDF-shaped body generated on the fly), so the
 * bench's own memory stays flat.
 */
final class MediaBench {

    static final Set<String> OPTIONS = Set.of("url", "sms-port", "kafka", "report", "stack-pids", "size-mib",
            "repeat", "concurrent");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final double MIB = 1024.0 * 1024.0;

    private MediaBench() {
    }

    static void run(Options options, Report report) throws Exception {
        int sizeMib = options.integer("size-mib", 10);
        int repeat = options.integer("repeat", 5);
        int concurrent = options.integer("concurrent", 20);
        long size = sizeMib * 1024L * 1024L;
        URI base = Gateways.from(options).first();
        Optional<StackPid> gateway = gatewayProcess(options.text("stack-pids", ""));
        report.line("mode: media");
        report.line(String.format(Locale.ROOT, "workload: a %d MiB PDF uploaded then downloaded %d times one at a "
                + "time; then %d uploads of %d MiB at once; HTTP/1.1 on loopback, bearer token; the store is the "
                + "stack's S3 server", sizeMib, repeat, concurrent, sizeMib));
        report.line("gateway process: " + gateway.map(StackPid::toString).orElse("not given (no heap figures)"));

        BenchApi api = new BenchApi(Gateways.from(options));
        BenchApi.Login user = api.newUser("media");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        upload(http, base, user, size, 1); // warm-up: the JIT and the store's first bucket write
        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        String last = null;
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            last = upload(http, base, user, size, i + 2);
            up.add(size / MIB / seconds(start));
        }
        download(http, base, user, last, size);
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            download(http, base, user, last, size);
            down.add(size / MIB / seconds(start));
        }
        report.line(String.format(Locale.ROOT, "upload of %d MiB:   median %.1f MiB/s (min %.1f, max %.1f) over %d",
                sizeMib, median(up), min(up), max(up), repeat));
        report.line(String.format(Locale.ROOT, "download of %d MiB: median %.1f MiB/s (min %.1f, max %.1f) over %d",
                sizeMib, median(down), min(down), max(down), repeat));

        ProcessMemory memory = gateway.map(process -> new ProcessMemory(process.pid())).orElse(null);
        double elapsed = concurrentUploads(http, base, user, size, concurrent, 100, null);
        report.line(String.format(Locale.ROOT, "%d concurrent uploads of %d MiB: %.1f s, %.1f MiB/s in all",
                concurrent, sizeMib, elapsed, concurrent * size / MIB / elapsed));
        if (memory != null) {
            // Again, while the gateway's live heap is read every 500 ms after a forced full collection: what the
            // uploads in flight hold, garbage excluded (slower, so not timed), beside the heap used without forcing.
            ProcessMemory.Sample before = memory.afterFullGc();
            AtomicLong peakLive = new AtomicLong();
            AtomicLong peakUsed = new AtomicLong();
            concurrentUploads(http, base, user, size, concurrent, 200, () -> {
                peakUsed.accumulateAndGet(memory.heapUsedNow(), Math::max);
                peakLive.accumulateAndGet(memory.afterFullGc().heapUsedBytes(), Math::max);
            });
            ProcessMemory.Sample after = memory.afterFullGc();
            report.line(String.format(Locale.ROOT, "gateway heap during %d concurrent uploads of %d MiB: live (after a "
                    + "forced full GC) %.1f MiB before, at most %.1f MiB while uploading, %.1f MiB after; used "
                    + "without forcing at most %.1f MiB; -Xmx %.0f MiB", concurrent, sizeMib,
                    before.heapUsedBytes() / MIB, peakLive.get() / MIB, after.heapUsedBytes() / MIB,
                    peakUsed.get() / MIB, before.heapReservedBytes() / MIB));
        }
    }

    /** A reading of the gateway taken while uploads are in flight. */
    private interface Reading {
        void take() throws IOException, InterruptedException;
    }

    /** {@code count} uploads at once; {@code reading}, when given, taken every 500 ms until they end. */
    private static double concurrentUploads(HttpClient http, URI base, BenchApi.Login user, long size, int count,
                                            int firstSeed, Reading reading) throws Exception {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        if (reading != null) {
            sampler.scheduleWithFixedDelay(() -> {
                try {
                    reading.take();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, 200, 500, TimeUnit.MILLISECONDS);
        }
        long start = System.nanoTime();
        List<CompletableFuture<String>> uploads = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int seed = firstSeed + i;
                uploads.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return upload(http, base, user, size, seed);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            uploads.forEach(CompletableFuture::join);
        } finally {
            sampler.shutdown();
            sampler.awaitTermination(60, TimeUnit.SECONDS);
        }
        return seconds(start);
    }

    /** The first gateway of a split stack, or the one JVM of chat-local. */
    private static Optional<StackPid> gatewayProcess(String stackPids) {
        List<StackPid> processes = StackPid.parseList(stackPids);
        return processes.stream().filter(p -> p.name().equals("gateway-1")).findFirst()
                .or(() -> processes.stream().filter(p -> p.name().equals("chat-local")).findFirst());
    }

    private static String upload(HttpClient http, URI base, BenchApi.Login user, long size, int seed)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/media?name=bench.pdf")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + user.accessToken())
                .header("Content-Type", "application/pdf")
                // with a known length the client sends Content-Length, which the gateway requires
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PdfStream(size, seed)), size))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("upload answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode created = JSON.readTree(response.body());
        if (created.path("size").asLong() != size) {
            throw new IOException("stored " + created.path("size").asLong() + " bytes of " + size);
        }
        return created.path("mediaId").asText();
    }

    private static void download(HttpClient http, URI base, BenchApi.Login user, String mediaId, long size)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/media/" + mediaId)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + user.accessToken()).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long read;
        try (InputStream body = response.body()) {
            read = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (response.statusCode() != 200 || read != size) {
            throw new IOException("download answered " + response.statusCode() + " with " + read + " bytes");
        }
    }

    /** A PDF header and end marker around pseudo-random filler, produced as it is read. */
    private static final class PdfStream extends InputStream {
        private static final byte[] HEAD = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = "\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private final Random random;
        private long position;

        PdfStream(long size, int seed) {
            this.size = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                long at = position + i;
                if (at < HEAD.length) {
                    buffer[offset + i] = HEAD[(int) at];
                } else if (at >= size - END.length) {
                    buffer[offset + i] = END[(int) (at - (size - END.length))];
                } else {
                    buffer[offset + i] = (byte) ('a' + random.nextInt(26));
                }
            }
            position += n;
            return n;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
