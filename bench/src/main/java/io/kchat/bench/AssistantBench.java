package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.infra.OpenAiCompatibleServer;
import io.kchat.schemas.AssistantUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Mode {@code assistant}: the assistant's own overhead. {@code --users} people, each with an assistant conversation
 * and one socket; each of {@code --questions} rounds, every person asks one question over the socket at about the
 * same moment, and the round waits for every answer. The model is {@link OpenAiCompatibleServer} in this JVM on
 * {@code --model-port} (the stack's ASSISTANT_BASE_URL, which bench/run sets): it echoes each question at once, in
 * chunks of {@code --chunk-chars}, {@code --chunk-delay} apart (0 by default), so the figures are kchat's, not a
 * model's. Per question, from its send to its echo (durably logged, with its seq), to the first
 * {@code assistant_stream} frame for it, and to the answer {@code message}; every answer must be the echo of its
 * question and come once ({@link AnswerLedger}).
 */
final class AssistantBench {

    static final Set<String> OPTIONS = Set.of("url", "sms-port", "kafka", "client-threads", "report", "users",
            "questions", "model-port", "chunk-chars", "chunk-delay", "pause", "concurrency");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(120);
    /** After the last round: long enough for a second answer to any question to show up, were there one. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    /** The people ack what they receive as a client does, so their queues stay short. */
    private static final Duration ACK_INTERVAL = Duration.ofMillis(500);

    private AssistantBench() {
    }

    static void run(Options options, Report report) throws Exception {
        int users = options.integer("users", 20);
        int questions = options.integer("questions", 10);
        int chunkChars = options.integer("chunk-chars", 4);
        Duration chunkDelay = options.duration("chunk-delay", Duration.ZERO);
        // The worker sees a question once the processor commits (read_committed, PROCESSOR_COMMIT_INTERVAL, 1 s);
        // asking right after each answer would lock the rounds to that commit's phase and measure nearly the whole
        // interval every time. People ask at random moments: so does the bench, by a random pause between rounds.
        Duration pause = options.duration("pause", Duration.ofSeconds(1));
        report.line("mode: assistant");
        report.line(String.format(Locale.ROOT, "workload: %d people, each with an assistant conversation and one "
                + "socket (phone sign-in); %d rounds, each person asking one question over the socket at the same "
                + "moment, each round waiting for every answer, then a random pause of 0 to %d ms; the model "
                + "(OpenAiCompatibleServer in the bench, on loopback) echoes the question in chunks of %d characters, "
                + "%d ms apart", users, questions, pause.toMillis(), chunkChars, chunkDelay.toMillis()));

        // first: the stack calls the model as soon as a question comes
        try (OpenAiCompatibleServer model = OpenAiCompatibleServer.start(options.integer("model-port", 18098));
             BenchContext context = BenchContext.open(options, report, SourceAddresses.forSockets(users));
             SocketFleet fleet = SocketFleet.connect(context, users, options.integer("concurrency", 16),
                     ACK_INTERVAL)) {
            model.echoChunks(chunkChars, chunkDelay);
            List<ChatSocket> people = fleet.sockets();
            requireAssistant(context.api(), people.getFirst().account());
            AnswerLedger ledger = new AnswerLedger(AssistantUser.ID);
            Map<String, String> idOfQuestion = new HashMap<>();
            List<String> conversations = new ArrayList<>();
            for (ChatSocket person : people) {
                conversations.add(context.api().post("/v1/assistant/conversations", person.account(),
                        JSON.createObjectNode().put("title", "bench"), 201).path("conversationId").asText());
                person.events(listener(ledger));
            }
            for (int round = 0; round < questions; round++) {
                List<String> frames = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < people.size(); i++) {
                    String id = "q" + round + "-" + i;
                    ids.add(id);
                    String question = String.format(Locale.ROOT, "Question %d from person %d: how far is the moon?",
                            round + 1, i + 1);
                    ledger.asked(id, question, round + 1);
                    idOfQuestion.put(question, id);
                    frames.add(ChatSocket.sendFrame(id, id, conversations.get(i), question));
                }
                for (int i = 0; i < people.size(); i++) {
                    ledger.sent(ids.get(i), System.nanoTime());
                    people.get(i).send(frames.get(i));
                }
                awaitAnswers(ledger, round);
                Thread.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(pause.toNanos() + 1)));
            }
            Thread.sleep(SETTLE);
            people.forEach(p -> p.events(ChatSocket.Events.NONE));
            if (!ledger.problems().isEmpty() || ledger.answeredWithoutParts() > 0) {
                throw new IllegalStateException(ledger.answeredWithoutParts() + " answers without a part; problems: "
                        + ledger.problems());
            }
            record(report, ledger, toModel(ledger, model.requests(), idOfQuestion), model.requestCount(),
                    users * questions);
        }
    }

    private static void requireAssistant(BenchApi api, BenchApi.Login any) throws Exception {
        JsonNode assistant = api.get("/v1/assistant", any);
        if (!assistant.path("available").asBoolean(false) || !AssistantUser.ID.equals(assistant.path("userId").asText())) {
            throw new IllegalStateException("the stack has no assistant (are ASSISTANT_BASE_URL and ASSISTANT_MODEL "
                    + "set?): " + assistant);
        }
    }

    private static ChatSocket.Events listener(AnswerLedger ledger) {
        return new ChatSocket.Events() {
            @Override
            public void message(ChatSocket socket, JsonNode frame, long arrivedNanos) {
                ledger.message(frame, arrivedNanos);
            }

            @Override
            public void assistantStream(ChatSocket socket, JsonNode frame, long arrivedNanos) {
                ledger.streamPart(frame, arrivedNanos);
            }

            @Override
            public void error(ChatSocket socket, JsonNode frame) {
                ledger.refused(frame);
            }
        };
    }

    private static void awaitAnswers(AnswerLedger ledger, int round) throws InterruptedException {
        long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
        while (ledger.unanswered() > 0) {
            if (!ledger.problems().isEmpty()) {
                throw new IllegalStateException("round " + (round + 1) + ": " + ledger.problems());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("round " + (round + 1) + ": " + ledger.unanswered()
                        + " questions without an answer after " + ROUND_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    /**
     * From each question's send to the worker's request at the model (the request's wall-clock time mapped onto the
     * send's monotonic clock): the path to the worker and its context, apart from the model call and the relay.
     */
    private static Histogram toModel(AnswerLedger ledger, List<OpenAiCompatibleServer.Request> requests,
                                     Map<String, String> idOfQuestion) {
        long nanosNow = System.nanoTime();
        Instant wallNow = Instant.now();
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (OpenAiCompatibleServer.Request request : requests) {
            String id = idOfQuestion.get(request.lastUserMessage());
            OptionalLong sent = id == null ? OptionalLong.empty() : ledger.sentNanos(id);
            if (sent.isPresent()) {
                long requestNanos = nanosNow - Duration.between(request.at(), wallNow).toNanos();
                histogram.recordValue(Math.max(0, (requestNanos - sent.getAsLong()) / 1_000));
            }
        }
        return histogram;
    }

    private static void record(Report report, AnswerLedger ledger, Histogram toModel, int modelRequests, int asked) {
        Histogram toEcho = new Histogram(3_600_000_000L, 3);
        Histogram toFirstPart = new Histogram(3_600_000_000L, 3);
        Histogram toAnswer = new Histogram(3_600_000_000L, 3);
        Map<Integer, Histogram> firstPartByRound = new TreeMap<>();
        for (AnswerLedger.Timing timing : ledger.timings()) {
            toEcho.recordValue(timing.toEchoMicros());
            toFirstPart.recordValue(timing.toFirstPartMicros());
            toAnswer.recordValue(timing.toAnswerMicros());
            firstPartByRound.computeIfAbsent(timing.round(), r -> new Histogram(3_600_000_000L, 3))
                    .recordValue(timing.toFirstPartMicros());
        }
        report.line("question sent -> its echo (durably logged, back through the user side): "
                + LatencySummary.of(toEcho).format());
        report.line("question sent -> first assistant_stream frame: " + LatencySummary.of(toFirstPart).format());
        report.line("question sent -> the answer message: " + LatencySummary.of(toAnswer).format());
        report.line("of which before the model: question sent -> the worker's request at the model: "
                + LatencySummary.of(toModel).format());
        // the first round's questions have no earlier answer the worker waits to see archived; the others do
        report.line("time to the first part per round, p50 / max ms: " + firstPartByRound.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%d: %s / %s", e.getKey(),
                        LatencySummary.ms(e.getValue().getValueAtPercentile(50)),
                        LatencySummary.ms(e.getValue().getMaxValue())))
                .collect(Collectors.joining(", ")));
        report.line(String.format(Locale.ROOT, "%d questions, %d answers each the echo of its question and each once; "
                + "%d model requests; first parts before their question's echo: %d", asked,
                toAnswer.getTotalCount(), modelRequests, ledger.partsBeforeEcho()));
    }
}
