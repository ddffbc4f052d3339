package io.kchat.gateway.ws;

import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.observability.Correlation;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's client frames, from text to command, on the connection's thread: the fragments of a message are joined
 * and bounded (1009), the message parsed and counted, and every frame but {@code ack} passes the rate limits
 * ({@link FrameRateLimits}). Each frame is then handled under a correlation id of its own (for a {@code send}, one
 * that shows the client's message id), in the log lines it causes and in the header of what it publishes: an
 * {@code auth} frame by {@link AuthFrames}, the others by {@link ClientCommands} once the socket is authenticated.
 */
final class InboundFrames {

    private static final Logger log = LoggerFactory.getLogger(InboundFrames.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MessageAssembler assembler;
    private final FrameRateLimits rates;
    private final ClientFrameParser parser;
    private final ClientCommands commands;
    private final AuthFrames auth;
    private final GatewayMetrics metrics;

    InboundFrames(MessageAssembler assembler, FrameRateLimits rates, ClientFrameParser parser, ClientCommands commands,
                  AuthFrames auth, GatewayMetrics metrics) {
        this.assembler = assembler;
        this.rates = rates;
        this.parser = parser;
        this.commands = commands;
        this.auth = auth;
        this.metrics = metrics;
    }

    void text(ClientSession session, String fragment, boolean last) {
        if (session.isClosing()) {
            return;
        }
        String message;
        try {
            message = assembler.append(fragment, last);
        } catch (MessageAssembler.MessageTooLargeException e) {
            session.close(CloseCodes.TOO_BIG, e.getMessage());
            return;
        }
        if (message != null) {
            handle(session, message);
        }
    }

    /** Frames are JSON text: a binary message is refused, after it passed the rate limits like any frame. */
    void binary(ClientSession session, boolean last) {
        if (!last) {
            return;
        }
        metrics.frameIn("binary");
        if (!session.isClosing() && rates.pass(session, null, null)) {
            session.send(ServerFrame.Error.of(null, null, ErrorCode.BAD_REQUEST, "frames are JSON text"));
        }
    }

    private void handle(ClientSession session, String text) {
        ClientFrame frame;
        try {
            frame = parser.parse(text);
        } catch (BadFrameException e) {
            metrics.frameIn("invalid");
            try (Correlation.Scope ignored = Correlation.open(Correlation.newId())) {
                log.debug("invalid frame: {}", e.getMessage());
                if (rates.pass(session, e.ref(), null)) {
                    session.send(ServerFrame.Error.of(e.ref(), null, ErrorCode.BAD_REQUEST, e.getMessage()));
                }
            }
            return;
        }
        metrics.frameIn(frame.type());
        try (Correlation.Scope ignored = Correlation.open(frame instanceof ClientFrame.Identified identified
                ? Correlation.forClientId(identified.id()) : Correlation.newId())) {
            log.debug("{} frame taken (ref {})", frame.type(), frame.ref());
            handle(session, frame);
        }
    }

    private void handle(ClientSession session, ClientFrame frame) {
        // acks are exempt: cumulative and coalesced, and a device may ack every event of a long replay
        if (!(frame instanceof ClientFrame.Ack) && !rates.pass(session, frame.ref(), idOf(frame))) {
            return;
        }
        if (frame instanceof ClientFrame.Ack || frame instanceof ClientFrame.Ping) {
            dispatch(session, frame); // answered at once or coalesced: nothing for a drain to wait for
        } else {
            take(session, frame);
        }
    }

    /** A frame that writes to Kafka or opens a session: counted until answered, so that a drain waits for it. */
    private void take(ClientSession session, ClientFrame frame) {
        if (!session.frameTaken()) {
            // the node drains: the close (1001) follows once the frames taken before are answered
            session.send(ServerFrame.Error.of(frame.ref(), idOf(frame), ErrorCode.INTERNAL,
                    "server going away: send it again after reconnecting"));
            return;
        }
        CompletableFuture<?> answered;
        try {
            answered = dispatch(session, frame);
        } catch (RuntimeException | Error e) {
            session.frameAnswered();
            throw e;
        }
        answered.whenComplete((done, error) -> session.frameAnswered());
    }

    /** Completes once the frame's answer is queued (for a send: after the broker acknowledged it). */
    private CompletableFuture<?> dispatch(ClientSession session, ClientFrame frame) {
        if (frame instanceof ClientFrame.Auth authFrame) {
            return auth.handle(session, authFrame);
        }
        SessionIdentity who = session.identity();
        if (who == null) {
            session.send(ServerFrame.Error.of(frame.ref(), null, ErrorCode.BAD_REQUEST,
                    "authenticate first with an auth frame"));
            return DONE;
        }
        return commands.handle(session, who, frame);
    }

    private static String idOf(ClientFrame frame) {
        return frame instanceof ClientFrame.Identified identified ? identified.id() : null;
    }
}
