package io.kchat.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends at a bounded rate from random clients into random conversations of theirs until stopped. A client
 * that is offline at its turn still gets the message: it sends it once it is back (its queue of unconfirmed
 * sends), as a real client would. Every {@value #TWICE_EVERY}th message is written twice under one id.
 */
final class LoadDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);
    static final int TWICE_EVERY = 10;

    private final List<ChatClient> clients;
    private final Map<ChatClient, List<String>> conversations;
    private final long intervalNanos;
    private final Random random;
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private LoadDriver(List<ChatClient> clients, Map<ChatClient, List<String>> conversations, double perSecond,
                       long seed) {
        this.clients = List.copyOf(clients);
        this.conversations = Map.copyOf(conversations);
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.random = new Random(seed);
        this.thread = Thread.ofPlatform().daemon().name("load").unstarted(this::run);
    }

    /** Starts sending {@code perSecond} messages a second in total; {@code seed} fixes who sends where. */
    static LoadDriver start(List<ChatClient> clients, Map<ChatClient, List<String>> conversations, double perSecond,
                            long seed) {
        LoadDriver driver = new LoadDriver(clients, conversations, perSecond, seed);
        driver.thread.start();
        log.info("load: {} msgs/s from {} clients (seed {})", perSecond, clients.size(), seed);
        return driver;
    }

    int sent() {
        return sent.get();
    }

    /** Messages ok'd by the gateways so far. */
    int okd() {
        return clients.stream().mapToInt(ChatClient::okCount).sum();
    }

    /** Waits until {@code more} further sends were ok'd (the system keeps accepting under the fault). */
    void awaitMoreOkd(int more, Duration timeout) {
        int target = okd() + more;
        Waits.until(() -> okd() >= target, timeout, () -> okd() + " sends ok'd, not " + target);
    }

    void stop() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("load stopped after {} sends", sent());
    }

    @Override
    public void close() {
        running = false;
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            ChatClient client = clients.get(random.nextInt(clients.size()));
            List<String> mine = conversations.get(client);
            String conversationId = mine.get(random.nextInt(mine.size()));
            int number = sent.incrementAndGet();
            String body = "message " + number + " from " + client.label();
            if (number % TWICE_EVERY == 0) {
                client.sendTwice(conversationId, body);
            } else {
                client.send(conversationId, body);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // a blocked write does not turn into a burst afterwards
            }
        }
    }
}
