package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.HdrHistogram.Histogram;

/**
 * Mode {@code search}: GET /v1/search/messages over an archive of {@code --messages} messages in
 * {@code --conversations} groups ({@link SearchArchive}, written straight into the stack's PostgreSQL at
 * {@code --database}), the searching user a member of every {@code --member-every}-th group. Each query shape is
 * sent {@code --warmup} times untimed, then {@code --requests} times one after the other (one request in flight:
 * the latency of a search, not the throughput of the gateway), through the HTTP endpoint with the user's token.
 */
final class SearchBench {

    static final Set<String> OPTIONS = Set.of("url", "sms-port", "kafka", "report", "database", "database-user",
            "database-password", "messages", "conversations", "member-every", "vocabulary", "seed", "warmup",
            "requests");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One query shape: what is asked, and how it reads in the report. */
    private record Shape(String name, String q, String conversationId, String before) {
    }

    private SearchBench() {
    }

    static void run(Options options, Report report) throws Exception {
        int messages = options.integer("messages", 100_000);
        int conversations = options.integer("conversations", 1_000);
        int memberEvery = options.integer("member-every", 10);
        int vocabulary = options.integer("vocabulary", 20_000);
        long seed = options.integer("seed", 42);
        int warmup = options.integer("warmup", 200);
        int requests = options.integer("requests", 1_000);
        BenchApi api = new BenchApi(Gateways.from(options));
        report.line("mode: search");
        report.line(String.format(Locale.ROOT, "workload: %,d messages in %,d groups, the searcher a member of every "
                + "%d-th (%,d groups); bodies of 3 to 20 words drawn with Zipf's law from %,d words (seed %d); "
                + "per query shape %d requests untimed, then %d timed, one at a time, over HTTP on loopback",
                messages, conversations, memberEvery, (conversations + memberEvery - 1) / memberEvery, vocabulary,
                seed, warmup, requests));

        BenchApi.Login owner = api.newUser("search_owner");
        BenchApi.Login searcher = api.newUser("searcher");
        SearchCorpus corpus = new SearchCorpus(vocabulary, seed);
        try (SearchArchive archive = SearchArchive.connect(options.required("database"),
                options.text("database-user", System.getenv().getOrDefault("DATABASE_USER", "postgres")),
                options.text("database-password", System.getenv().getOrDefault("DATABASE_PASSWORD", "kchat")))) {
            long started = System.nanoTime();
            archive.load("sb" + UUID.randomUUID().toString().substring(0, 8), owner.userId(), searcher.userId(),
                    conversations, memberEvery, messages, corpus, seed);
            long[] sizes = archive.sizes();
            report.line(String.format(Locale.ROOT, "archive: loaded (COPY, then VACUUM ANALYZE) in %.1f s; messages "
                    + "%.1f MiB with TOAST, GIN index messages_body_search %.1f MiB", (System.nanoTime() - started) / 1e9,
                    sizes[0] / 1048576.0, sizes[1] / 1048576.0));

            String rare = rareWord(corpus, archive);
            String one = archive.searchable().getFirst();
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            URI base = api.gateways().first();
            String secondPage = next(http, base, searcher, new Shape("", "the", null, null));
            List<Shape> shapes = List.of(
                    new Shape("rare word", rare, null, null),
                    new Shape("common word", "the", null, null),
                    new Shape("common word, 2nd page", "the", null, secondPage),
                    new Shape("two-word phrase", "\"happy birthday\"", null, null),
                    new Shape("accent-folded (corpus has café)", "cafe", null, null),
                    new Shape("common word, one conversation", "the", one, null));
            report.line("load average before the queries (other processes share these cores): " + loadAverage());
            report.line("| query | q | results | matches: all / searcher's | p50 | p90 | p99 | max |");
            report.line("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (Shape shape : shapes) {
                long[] matches = shape.conversationId() == null ? archive.matches(shape.q(), searcher.userId())
                        : new long[] {-1, -1};
                int results = 0;
                for (int i = 0; i < warmup; i++) {
                    results = search(http, base, searcher, shape).path("results").size();
                }
                Histogram micros = new Histogram(60_000_000L, 3);
                for (int i = 0; i < requests; i++) {
                    long start = System.nanoTime();
                    results = search(http, base, searcher, shape).path("results").size();
                    micros.recordValue((System.nanoTime() - start) / 1000);
                }
                LatencySummary summary = LatencySummary.of(micros);
                report.line(String.format(Locale.ROOT, "| %s | `%s` | %d | %s | %s ms | %s ms | %s ms | %s ms |",
                        shape.name(), shape.q(), results,
                        matches[0] < 0 ? "(one conversation)" : String.format(Locale.ROOT, "%,d / %,d", matches[0],
                                matches[1]),
                        LatencySummary.ms(summary.p50()), LatencySummary.ms(summary.p90()),
                        LatencySummary.ms(summary.p99()), LatencySummary.ms(summary.max())));
            }
            report.line("load average after: " + loadAverage());
        }
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The most frequent made-up word (so at least one page of results) in 10 to 40 messages, at least one of them
     * the searcher's: a word few messages share, as a name or a place is.
     */
    private static String rareWord(SearchCorpus corpus, SearchArchive archive) {
        for (String word : corpus.vocabulary()) {
            int[] documents = archive.documents(word);
            if (!SearchCorpus.COMMON.contains(word) && documents[0] >= 10 && documents[0] <= 40 && documents[1] >= 1) {
                return word;
            }
        }
        throw new IllegalStateException("no word in 10 to 40 messages: a larger --messages is needed");
    }

    private static String next(HttpClient http, URI base, BenchApi.Login who, Shape shape)
            throws IOException, InterruptedException {
        String next = search(http, base, who, shape).path("next").asText(null);
        if (next == null) {
            throw new IllegalStateException("a common word should fill more than one page");
        }
        return next;
    }

    private static JsonNode search(HttpClient http, URI base, BenchApi.Login who, Shape shape)
            throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("/v1/search/messages?q=").append(encode(shape.q()));
        if (shape.conversationId() != null) {
            query.append("&conversationId=").append(encode(shape.conversationId()));
        }
        if (shape.before() != null) {
            query.append("&before=").append(encode(shape.before()));
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(query.toString())).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + who.accessToken()).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(query + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
