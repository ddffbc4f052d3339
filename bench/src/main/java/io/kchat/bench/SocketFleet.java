package io.kchat.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N devices, each a new account signed in by phone code, each with one synced socket from its source address, on
 * the gateway {@link Gateways#of} gives its number. Sign-ins and connects run {@code concurrency} at a time; the
 * first failure stops the ramp and fails it.
 */
final class SocketFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketFleet.class);
    private static final Duration PER_SOCKET_TIMEOUT = Duration.ofSeconds(120);
    private static final int PROGRESS_EVERY = 1000;

    private final List<ChatSocket> sockets;
    private final Gateways gateways;
    private final Duration rampTime;

    private SocketFleet(List<ChatSocket> sockets, Gateways gateways, Duration rampTime) {
        this.sockets = sockets;
        this.gateways = gateways;
        this.rampTime = rampTime;
    }

    static SocketFleet connect(BenchContext context, int count, int concurrency, Duration ackInterval)
            throws InterruptedException {
        ChatSocket[] sockets = new ChatSocket[count];
        Semaphore permits = new Semaphore(concurrency);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && failure.get() == null; i++) {
                permits.acquire();
                int index = i;
                executor.submit(() -> {
                    try {
                        sockets[index] = connectOne(context, index, ackInterval);
                        int n = done.incrementAndGet();
                        if (n % PROGRESS_EVERY == 0) {
                            log.info("{} of {} sockets synced", n, count);
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        SocketFleet fleet = new SocketFleet(Arrays.asList(sockets), context.api().gateways(),
                Duration.ofNanos(System.nanoTime() - started));
        if (failure.get() != null) {
            fleet.close();
            throw new IllegalStateException("socket " + done.get() + " of " + count + " could not be set up",
                    failure.get());
        }
        return fleet;
    }

    private static ChatSocket connectOne(BenchContext context, int index, Duration ackInterval) throws Exception {
        BenchApi.Login account = context.accounts().create(index);
        return ChatSocket.open(context.client(), context.api().webSocket(index), account,
                context.accounts().sources().of(index), ChatSocket.Events.NONE, ackInterval)
                .get(PER_SOCKET_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    List<ChatSocket> sockets() {
        return sockets;
    }

    /** Where the sockets are: socket {@code i} of {@link #sockets} on gateway {@code gateways().of(i)}. */
    Gateways gateways() {
        return gateways;
    }

    /** From the first sign-in to the last socket synced. */
    Duration rampTime() {
        return rampTime;
    }

    long open() {
        return sockets.stream().filter(s -> s != null && s.isOpen()).count();
    }

    /** Close code → sockets closed with it, for those no longer open. */
    Map<Integer, Integer> closed() {
        Map<Integer, Integer> codes = new TreeMap<>();
        sockets.stream().filter(s -> s != null && !s.isOpen())
                .forEach(s -> codes.merge(s.closeStatus(), 1, Integer::sum));
        return codes;
    }

    long gaps() {
        return sockets.stream().filter(s -> s != null).mapToLong(ChatSocket::gaps).sum();
    }

    @Override
    public void close() {
        sockets.stream().filter(s -> s != null).forEach(ChatSocket::close);
    }
}
