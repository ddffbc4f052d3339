package io.kchat.assistant.model;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed over buffer by buffer: the HTTP client pushes, the answering thread takes with a timeout
 * ({@link #poll}), which an interrupt ends. A body InputStream would block in a read that neither a timeout nor,
 * reliably, an interrupt ends. One buffer list is requested at a time, after the previous was taken, so an endless
 * stream never piles up here. {@link #cancel()} closes the exchange (the connection of an unfinished HTTP/1.1 body).
 */
final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue> {

    sealed interface Item permits Bytes, End, Failed {
    }

    record Bytes(List<ByteBuffer> buffers) implements Item {
    }

    record End() implements Item {
    }

    record Failed(Throwable error) implements Item {
    }

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private Flow.Subscription subscription;
    private boolean cancelled;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        synchronized (this) {
            if (!cancelled && subscription == null) {
                subscription = s;
                s.request(1);
                return;
            }
        }
        s.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        items.add(new Bytes(buffers));
    }

    @Override
    public void onError(Throwable error) {
        items.add(new Failed(error));
    }

    @Override
    public void onComplete() {
        items.add(new End());
    }

    @Override
    public CompletionStage<BodyQueue> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    /** The next item, or null when none came within {@code nanos}. */
    Item poll(long nanos) throws InterruptedException {
        return items.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Asks for the next buffers, once the last were taken. */
    synchronized void more() {
        if (!cancelled && subscription != null) {
            subscription.request(1);
        }
    }

    /** Stops the body; idempotent, and harmless after its end. */
    void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            s = subscription;
        }
        if (s != null) {
            s.cancel();
        }
    }
}
