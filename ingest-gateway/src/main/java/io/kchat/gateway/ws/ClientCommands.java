package io.kchat.gateway.ws;

import io.kchat.events.AssistantStop;
import io.kchat.events.Attachment;
import io.kchat.events.DeviceAck;
import io.kchat.events.InboundCommand;
import io.kchat.events.MessageUpdateKind;
import io.kchat.events.ReadUpTo;
import io.kchat.events.SendMessage;
import io.kchat.events.Typing;
import io.kchat.events.UpdateMessage;
import io.kchat.events.UserCommand;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.messages.AttachmentRule;
import io.kchat.gateway.messages.ContentRule;
import io.kchat.gateway.messages.SealedContent;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.observability.Correlation;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands of an authenticated socket, published to Kafka. An {@code ok} is sent only from the
 * publish future, i.e. once the broker acknowledged the write (acks=all): "ack after durable". Acks and
 * typing notices go through the session's coalescers first ({@link AckCoalescer}, {@link TypingThrottle}).
 */
final class ClientCommands {

    private static final Logger log = LoggerFactory.getLogger(ClientCommands.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final EventPublisher<String, InboundCommand> inbound;
    private final EventPublisher<String, UserCommand> userInbound;
    private final EventPublisher<String, Typing> typing;
    private final EventPublisher<String, AssistantStop> assistantControl;
    private final MembershipCheck members;
    private final ContentRule content;
    private final AttachmentRule attachments;
    private final GatewayMetrics metrics;
    private final Clock clock;

    ClientCommands(EventPublisher<String, InboundCommand> inbound, EventPublisher<String, UserCommand> userInbound,
                   EventPublisher<String, Typing> typing, EventPublisher<String, AssistantStop> assistantControl,
                   MembershipCheck members, ContentRule content, GatewayMetrics metrics, Clock clock) {
        this(inbound, userInbound, typing, assistantControl, members, content, AttachmentRule.NONE, metrics, clock);
    }

    ClientCommands(EventPublisher<String, InboundCommand> inbound, EventPublisher<String, UserCommand> userInbound,
                   EventPublisher<String, Typing> typing, EventPublisher<String, AssistantStop> assistantControl,
                   MembershipCheck members, ContentRule content, AttachmentRule attachments, GatewayMetrics metrics,
                   Clock clock) {
        this.attachments = attachments;
        this.inbound = inbound;
        this.userInbound = userInbound;
        this.typing = typing;
        this.assistantControl = assistantControl;
        this.members = members;
        this.content = content;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Completes once the frame's answer, if one is due now, is queued (a send's {@code ok} after the broker's ack). */
    CompletableFuture<?> handle(ClientSession session, SessionIdentity who, ClientFrame frame) {
        return switch (frame) {
            // a send is always answered: its ok (with the client's id) is the durability receipt
            case ClientFrame.Send send -> {
                long taken = System.nanoTime();
                if (!contentFits(session, who, send, send.ciphertext())) {
                    yield DONE;
                }
                List<Attachment> attached = attached(session, who, send);
                if (attached == null) {
                    yield DONE;
                }
                SendMessage message = send.ciphertext() == null
                        ? new SendMessage(send.id(), who.userId(), who.deviceId(), send.body(), null, send.replyTo(),
                                attached, false)
                        : new SendMessage(send.id(), who.userId(), who.deviceId(), "", send.ciphertext().toEvent(),
                                send.replyTo(), List.of(), false);
                yield answer(session, send.ref(), send.id(), true,
                        inbound.publish(send.conversationId(), command(message)),
                        () -> metrics.sendOk(System.nanoTime() - taken));
            }
            case ClientFrame.Edit edit -> {
                if (!contentFits(session, who, edit, edit.ciphertext())) {
                    yield DONE;
                }
                yield update(session, edit, new UpdateMessage(edit.id(), who.userId(), who.deviceId(), edit.seq(),
                        MessageUpdateKind.EDIT, edit.body(),
                        edit.ciphertext() == null ? null : edit.ciphertext().toEvent(), null, false));
            }
            case ClientFrame.Delete delete -> update(session, delete, new UpdateMessage(delete.id(), who.userId(),
                    who.deviceId(), delete.seq(), MessageUpdateKind.DELETE, null, null, null, false));
            case ClientFrame.React react -> update(session, react, new UpdateMessage(react.id(), who.userId(),
                    who.deviceId(), react.seq(), MessageUpdateKind.REACTION, null, null, react.key(), react.remove()));
            case ClientFrame.Ack ack -> {
                session.ack(ack.userSeq(), ack.ref());
                yield DONE;
            }
            case ClientFrame.Read read -> answer(session, read.ref(), null, false,
                    inbound.publish(read.conversationId(), command(
                            new ReadUpTo(who.userId(), who.deviceId(), read.seq()))), () -> { });
            case ClientFrame.Typing notice -> {
                typing(session, who, notice);
                yield DONE;
            }
            case ClientFrame.AssistantStop stop -> assistantStop(session, who, stop);
            case ClientFrame.Ping ping -> {
                session.send(new ServerFrame.Pong(ping.ref()));
                yield DONE;
            }
            case ClientFrame.Auth auth -> throw new IllegalArgumentException("auth frames belong to the connection");
        };
    }

    /** What a session's {@link AckCoalescer} produces: the device's cursor, keyed by user. */
    CompletableFuture<?> publishAck(SessionIdentity who, long userSeq) {
        return userInbound.publish(who.userId(), new UserCommand(new DeviceAck(who.userId(), who.deviceId(), userSeq)));
    }

    /** What a session's {@link TypingThrottle} produces: keyed by conversation, not transactional, never logged (D10). */
    CompletableFuture<?> publishTyping(SessionIdentity who, String conversationId, boolean active) {
        return typing.publish(conversationId, new Typing(conversationId, who.userId(), active, clock.instant()));
    }

    /**
     * An edit, delete or reaction, to the conversation's partition (D13): answered {@code ok} once durably logged; the
     * conversation side judges it in order with the messages and tells a refusal to the author's devices.
     */
    private CompletableFuture<?> update(ClientSession session, ClientFrame.Identified frame, UpdateMessage update) {
        return answer(session, frame.ref(), frame.id(), true, inbound.publish(frame.conversationId(), command(update)),
                () -> { });
    }

    /**
     * Body or ciphertext as the conversation takes it, before anything is published: a refusal is the frame's answer
     * (an {@code error} naming its id), so nothing of it is stored.
     */
    private boolean contentFits(ClientSession session, SessionIdentity who, ClientFrame.Identified frame,
                                SealedContent ciphertext) {
        try {
            content.require(frame.conversationId(), who.userId(), who.deviceId(), ciphertext);
            return true;
        } catch (Refusal refused) {
            log.debug("{} {} of {} refused before publishing: {}", frame.type(), frame.id(), who.userId(),
                    refused.getMessage());
            session.send(ServerFrame.Error.of(frame.ref(), frame.id(), refused));
            return false;
        } catch (RuntimeException e) {
            log.warn("cannot check the content of {} {} of {}", frame.type(), frame.id(), who.userId(), e);
            session.send(ServerFrame.Error.of(frame.ref(), frame.id(), ErrorCode.INTERNAL, "not stored, please retry"));
            return false;
        }
    }

    /**
     * The send's media checked and claimed ({@link AttachmentRule}), after its content fit: a refusal is the frame's
     * answer, as for content.
     *
     * @return null when refused (the answer is sent)
     */
    private List<Attachment> attached(ClientSession session, SessionIdentity who, ClientFrame.Send send) {
        try {
            return attachments.claim(who.userId(), send.attachments());
        } catch (Refusal refused) {
            log.debug("send {} of {} refused before publishing: {}", send.id(), who.userId(), refused.getMessage());
            session.send(ServerFrame.Error.of(send.ref(), send.id(), refused));
            return null;
        } catch (RuntimeException e) {
            log.warn("cannot check the attachments of send {} of {}", send.id(), who.userId(), e);
            session.send(ServerFrame.Error.of(send.ref(), send.id(), ErrorCode.INTERNAL, "not stored, please retry"));
            return null;
        }
    }

    /** Members only; a non-member learns nothing about the conversation: {@code not_found}, as REST's 404. */
    private void typing(ClientSession session, SessionIdentity who, ClientFrame.Typing notice) {
        boolean member;
        try {
            member = members.isMember(notice.conversationId(), who.userId());
        } catch (RuntimeException e) {
            log.warn("cannot check membership of {} in {}", who.userId(), notice.conversationId(), e);
            session.send(ServerFrame.Error.of(notice.ref(), null, ErrorCode.INTERNAL, "please retry"));
            return;
        }
        if (!member) {
            session.send(ServerFrame.Error.of(notice.ref(), null, ErrorCode.NOT_FOUND, "no such conversation"));
            return;
        }
        session.typing(notice.conversationId(), notice.active(), notice.ref());
    }

    /**
     * A member's stop of an answer in an assistant conversation, to chat.assistant-control keyed by conversation, not
     * transactional (an ephemeral request like typing: the worker writing the answer acts on it, or it came too late
     * and changes nothing). Answered {@code ok} when it has a ref, once the broker has it.
     */
    private CompletableFuture<?> assistantStop(ClientSession session, SessionIdentity who,
                                               ClientFrame.AssistantStop stop) {
        boolean member;
        boolean assistant;
        try {
            member = members.isMember(stop.conversationId(), who.userId());
            assistant = member && members.isAssistant(stop.conversationId());
        } catch (RuntimeException e) {
            log.warn("cannot check the conversation {} of a stop by {}", stop.conversationId(), who.userId(), e);
            session.send(ServerFrame.Error.of(stop.ref(), null, ErrorCode.INTERNAL, "please retry"));
            return DONE;
        }
        if (!member) {
            session.send(ServerFrame.Error.of(stop.ref(), null, ErrorCode.NOT_FOUND, "no such conversation"));
            return DONE;
        }
        if (!assistant) {
            session.send(ServerFrame.Error.of(stop.ref(), null, ErrorCode.BAD_REQUEST,
                    "not an assistant conversation"));
            return DONE;
        }
        return answer(session, stop.ref(), null, false, assistantControl.publish(stop.conversationId(),
                new AssistantStop(stop.conversationId(), who.userId(), stop.replyTo(), clock.instant())), () -> { });
    }

    /** Stamped here: the gateway's ingest time is the only clock the processor sees (D2, D11). */
    private InboundCommand command(Object command) {
        return new InboundCommand(UUID.randomUUID().toString(), clock.instant(), command);
    }

    /**
     * Answers once the broker acknowledged the write (or refused it), on the producer's thread: under the frame's
     * correlation id again, so that the outcome is logged with it.
     */
    private static CompletableFuture<?> answer(ClientSession session, String ref, String id, boolean always,
                                               CompletableFuture<RecordMetadata> publish, Runnable stored) {
        String correlation = Correlation.current();
        return publish.whenComplete((written, error) -> {
            try (Correlation.Scope ignored = Correlation.open(correlation)) {
                if (error != null) {
                    log.warn("cannot publish a client command (ref {}, id {})", ref, id, error);
                    session.send(ServerFrame.Error.of(ref, id, ErrorCode.INTERNAL, "not stored, please retry"));
                    return;
                }
                log.debug("stored at {}-{}@{} (ref {}, id {})", written.topic(), written.partition(), written.offset(),
                        ref, id);
                stored.run();
                if (always || ref != null) {
                    session.send(new ServerFrame.Ok(ref, id));
                }
            }
        });
    }
}
