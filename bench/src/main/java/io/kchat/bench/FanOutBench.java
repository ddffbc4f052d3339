package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * Mode {@code fanout}: one message to a group of each size of {@code --sizes}, every member online on its own socket;
 * the time from the send to the last member's {@code message} frame, repeated {@code --repeat} times per size.
 */
final class FanOutBench {

    static final Set<String> OPTIONS = Set.of("url", "sms-port", "kafka", "client-threads", "report", "sizes", "repeat",
            "pause", "ack-interval", "concurrency", "body-chars");
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    /** Issue 6: a 1,000-member group message reaches the last member within 1 s. */
    private static final Duration TARGET = Duration.ofSeconds(1);

    private FanOutBench() {
    }

    static void run(Options options, Report report) throws Exception {
        List<Integer> sizes = options.integers("sizes", List.of(10, 100, 1000));
        int repeat = options.integer("repeat", 5);
        Duration pause = options.duration("pause", Duration.ofSeconds(1));
        Duration ackInterval = options.duration("ack-interval", Duration.ZERO);
        String body = "x".repeat(options.integer("body-chars", 64));
        int members = Collections.max(sizes);
        report.line("mode: fanout");
        report.line(String.format(Locale.ROOT, "workload: groups of %s members, one socket per member (phone sign-in), "
                + "one message from the owner, %d times per group, %d s apart; members ack every %d ms (0: never)",
                sizes, repeat, pause.toSeconds(), ackInterval.toMillis()));
        report.line("| members | time to last delivery: median | max | time to first: median | missing |");
        try (BenchContext context = BenchContext.open(options, report, SourceAddresses.forSockets(members));
             SocketFleet fleet = SocketFleet.connect(context, members, options.integer("concurrency", 16), ackInterval)) {
            for (int size : sizes) {
                List<ChatSocket> group = fleet.sockets().subList(0, size);
                String conversationId = createGroup(context.api(), group, "fanout " + size);
                List<Long> lasts = new ArrayList<>();
                List<Long> firsts = new ArrayList<>();
                long missing = 0;
                for (int r = 0; r < repeat; r++) {
                    long[] result = once(group, conversationId, "f" + size + "-" + r, body);
                    lasts.add(result[0]);
                    firsts.add(result[1]);
                    missing += result[2];
                    // a quiet gap between repeats, so that one message's tail does not queue behind the previous one
                    Thread.sleep(pause);
                }
                report.line(String.format(Locale.ROOT, "| %,d | %s ms | %s ms | %s ms | %d |", size,
                        LatencySummary.ms(median(lasts)), LatencySummary.ms(Collections.max(lasts)),
                        LatencySummary.ms(median(firsts)), missing));
                if (size == 1000) {
                    report.line("target (1,000 members, last delivery within 1 s): "
                            + (missing == 0 && Collections.max(lasts) <= TARGET.toNanos() / 1000 ? "MET" : "NOT MET"));
                }
            }
        }
    }

    /** Creates the group and waits until every member's socket has its {@code created} event. */
    private static String createGroup(BenchApi api, List<ChatSocket> group, String title) throws Exception {
        CountDownLatch created = new CountDownLatch(group.size());
        group.forEach(s -> s.events(new ChatSocket.Events() {
            @Override
            public void conversation(ChatSocket socket, JsonNode frame) {
                if ("created".equals(frame.path("event").asText())
                        && title.equals(frame.path("conversation").path("title").asText())) {
                    created.countDown();
                }
            }
        }));
        String id = api.groupConversation(group.getFirst().account(), title,
                group.subList(1, group.size()).stream().map(ChatSocket::userId).toList());
        if (!created.await(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(created.getCount() + " members never heard of " + title);
        }
        return id;
    }

    /** @return time to the last and to the first delivery (µs, from the send), and deliveries missing */
    private static long[] once(List<ChatSocket> group, String conversationId, String id, String body)
            throws InterruptedException {
        AtomicLongArray arrivals = new AtomicLongArray(group.size());
        CountDownLatch delivered = new CountDownLatch(group.size() - 1);
        for (int i = 1; i < group.size(); i++) {
            int member = i;
            group.get(i).events(new ChatSocket.Events() {
                @Override
                public void message(ChatSocket socket, JsonNode frame, long arrivedNanos) {
                    if (id.equals(frame.path("id").asText()) && arrivals.compareAndSet(member, 0, arrivedNanos)) {
                        delivered.countDown();
                    }
                }
            });
        }
        long sent = System.nanoTime();
        group.getFirst().send(ChatSocket.sendFrame(id, id, conversationId, body));
        delivered.await(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        group.forEach(s -> s.events(ChatSocket.Events.NONE));
        long[] received = IntStream.range(1, group.size()).mapToLong(arrivals::get).filter(a -> a != 0)
                .map(a -> (a - sent) / 1000).sorted().toArray();
        long last = received.length == 0 ? DELIVERY_TIMEOUT.toNanos() / 1000 : received[received.length - 1];
        long first = received.length == 0 ? last : received[0];
        return new long[] {last, first, delivered.getCount()};
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
