package io.kchat.gateway.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client frames one write stands for (coalesced acks or typing notices): once the write is acked each
 * frame with a ref gets its {@code ok}; if it failed each gets an {@code error}, plus one without a ref when
 * some frame had none (a refused frame is always answered). Not thread-safe: guarded by its owner.
 */
final class PendingAnswers {

    private final List<String> refs = new ArrayList<>(1);
    private boolean refless;

    static PendingAnswers of(String ref) {
        PendingAnswers answers = new PendingAnswers();
        answers.add(ref);
        return answers;
    }

    void add(String ref) {
        if (ref == null) {
            refless = true;
        } else {
            refs.add(ref);
        }
    }

    void succeeded(Consumer<ServerFrame> out) {
        refs.forEach(ref -> out.accept(new ServerFrame.Ok(ref, null)));
    }

    void failed(Consumer<ServerFrame> out, String message) {
        refs.forEach(ref -> out.accept(ServerFrame.Error.of(ref, null, ErrorCode.INTERNAL, message)));
        if (refless) {
            out.accept(ServerFrame.Error.of(null, null, ErrorCode.INTERNAL, message));
        }
    }

    static void answer(Consumer<ServerFrame> out, String ref) {
        if (ref != null) {
            out.accept(new ServerFrame.Ok(ref, null));
        }
    }
}
