package io.kchat.processor.conversation;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEvent;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationState;
import io.kchat.events.ConversationType;
import io.kchat.events.DeliveredUpTo;
import io.kchat.events.InboundCommand;
import io.kchat.events.MessageFacts;
import io.kchat.events.Member;
import io.kchat.events.ReadUpTo;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.events.SendMessage;
import io.kchat.events.SendRefused;
import io.kchat.events.StreamTick;
import io.kchat.events.UpdateMessage;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.observability.Correlation;
import io.kchat.processor.conversation.ConversationSideOutput.Accepted;
import io.kchat.processor.conversation.ConversationSideOutput.ForMember;
import io.kchat.processor.conversation.ConversationSideOutput.ReceiptApplied;
import io.kchat.processor.conversation.ConversationSideOutput.UpdateApplied;
import io.kchat.processor.headers.Origin;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.processor.streams.StallWatch;
import io.kchat.schemas.AssistantUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one conversation's commands in partition order. Deterministic (D2): everything it emits
 * follows from the input record and the committed state, never from the wall clock, so a replay after
 * an aborted transaction repeats its output exactly. Emits {@link ChatMessage} and {@link Receipt} (keyed
 * by conversation) and {@link UserCommand} (keyed by user), each as its kind of {@link ConversationSideOutput}. Every
 * output is the input record with another key or
 * value, so it keeps the input's headers, the correlation id among them; user commands also get their
 * {@link Origin}. A receipt may wait in the conversation's state ({@link ReceiptWave}) and go out with a later input
 * record, a wall-clock punctuation only ever asking for a tick ({@link IdleTicks}), which arrives as input.
 */
final class ConversationCommandProcessor implements Processor<String, InboundCommand, String, ConversationSideOutput> {

    private static final Logger log = LoggerFactory.getLogger(ConversationCommandProcessor.class);

    /** A send to a conversation that does not exist or whose sender is not a member: indistinguishable (404 rule). */
    static final String NOT_FOUND = "not_found";
    /** A send to a direct conversation whose members are separated by a block. */
    static final String FORBIDDEN = "forbidden";
    /** A body in an end-to-end encrypted conversation, or a ciphertext in a plain one. */
    static final String BAD_REQUEST = "bad_request";
    /** How soon after a question in an assistant conversation the processor asks for a commit (D15). */
    static final Duration QUESTION_COMMIT_DELAY = Duration.ofMillis(250);

    private final Duration dedupeWindow;
    private final ReceiptWave wave;
    private final IdleTicks ticks;
    private final ConversationMetrics metrics;
    private ProcessorContext<String, ConversationSideOutput> context;
    /** A question in an assistant conversation was sequenced since the last commit this processor asked for. */
    private boolean questionUncommitted;
    private KeyValueStore<String, ConversationState> states;
    private WindowStore<String, ChatMessage> accepted;
    private KeyValueStore<String, MessageFacts> facts;
    private WindowStore<String, String> updated;
    /** How many user commands the current input record has emitted so far: the index of its next {@link Origin}. */
    private int userOutputs;

    ConversationCommandProcessor(Duration dedupeWindow, ReceiptWave wave, IdleTicks ticks, ConversationMetrics metrics) {
        this.dedupeWindow = dedupeWindow;
        this.wave = wave;
        this.ticks = ticks;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ConversationSideOutput> context) {
        this.context = context;
        this.states = context.getStateStore(ConversationTopology.STATE_STORE);
        this.accepted = context.getStateStore(ConversationTopology.DEDUPE_STORE);
        this.facts = context.getStateStore(ConversationTopology.FACTS_STORE);
        this.updated = context.getStateStore(ConversationTopology.UPDATE_DEDUPE_STORE);
        this.wave.init(context.getStateStore(ReceiptWave.STORE));
        if (wave.enabled()) {
            new StallWatch(wave.tickPeriod(), ticks, wave::anyHeld).start(context);
        }
        context.schedule(QUESTION_COMMIT_DELAY, PunctuationType.WALL_CLOCK_TIME, now -> commitQuestions());
    }

    /**
     * The assistant worker reads chat.messages read_committed (D15): a question waits for the processor's commit, 1 s
     * by default, before the worker can even start on it. So a commit is asked for within {@link
     * #QUESTION_COMMIT_DELAY} of a question, once for all the questions of that span: a commit per question would
     * stall a burst of them, and everything else in the task with it. What is committed, and so the output, does not
     * change (D2); only when.
     */
    private void commitQuestions() {
        if (questionUncommitted) {
            questionUncommitted = false;
            context.commit();
        }
    }

    @Override
    public void process(Record<String, InboundCommand> record) {
        try (Correlation.Scope ignored = Correlation.open(record.headers())) {
            userOutputs = 0;
            apply(record);
            announceDue(record);
        }
    }

    private void apply(Record<String, InboundCommand> record) {
        String conversationId = record.key();
        InboundCommand command = record.value();
        if (command != null && command.getCommand() instanceof StreamTick) {
            // it moved the partition's time, which is all it is for
            return;
        }
        if (conversationId == null || command == null) {
            log.warn("dropping inbound record without key or value (commandId {})", command == null ? null : command.getCommandId());
            return;
        }
        log.debug("{} for {}", command.getCommand().getClass().getSimpleName(), conversationId);
        ConversationState state = editable(states.get(conversationId));
        switch (command.getCommand()) {
            case SendMessage send -> send(record, conversationId, state, send, command.getIngestTime());
            case ReadUpTo read -> read(record, conversationId, state, read, command.getIngestTime());
            case DeliveredUpTo delivered -> delivered(record, conversationId, state, delivered, command.getIngestTime());
            case ConversationChanged change -> change(record, conversationId, state, change, command.getIngestTime());
            case UpdateMessage update -> update(record, conversationId, state, update, command.getIngestTime());
            default -> log.warn("unknown inbound command {} in {}", command.getCommand().getClass(), conversationId);
        }
    }

    /**
     * The conversations whose held receipts are due at this record's time announce them, after the record itself (whose
     * own receipt, if due, took its conversation's along): the outputs carry this record's {@link Origin} like its own.
     */
    private void announceDue(Record<String, InboundCommand> record) {
        for (String conversationId : wave.takeDue(record.timestamp())) {
            ConversationState stored = states.get(conversationId);
            if (stored != null) {
                ConversationState state = editable(stored);
                List<Receipt> due = wave.takeHeld(state, record.timestamp());
                states.put(conversationId, state);
                due.forEach(receipt -> publishReceipt(record, state, receipt));
            }
        }
    }

    private void send(Record<String, InboundCommand> record, String conversationId, ConversationState state,
                      SendMessage send, Instant ingestTime) {
        String dedupeKey = dedupeKey(conversationId, send.getSenderId(), send.getClientId());
        ChatMessage original = alreadyAccepted(dedupeKey, record.timestamp());
        if (original != null) {
            // A retried id: the sender's devices get the original echo again, same seq, nothing new is sequenced.
            metrics.duplicate();
            log.debug("retried id of {}: echoing seq {} again", send.getSenderId(), original.getSeq());
            toUser(record, send.getSenderId(), Envelopes.forRecipient(original, send.getSenderId()));
            return;
        }
        if (!isMember(state, send.getSenderId())) {
            metrics.refused(NOT_FOUND);
            log.debug("send of {} refused: not a member", send.getSenderId());
            toUser(record, send.getSenderId(), new SendRefused(conversationId, send.getClientId(), send.getDeviceId(),
                    NOT_FOUND, "no such conversation", ingestTime));
            return;
        }
        if (state.getSnapshot().getBlocked()) {
            // D1: the block was applied in this partition, so every send after it is refused, none before it
            metrics.refused(FORBIDDEN);
            log.debug("send of {} refused: the direct conversation is blocked", send.getSenderId());
            toUser(record, send.getSenderId(), new SendRefused(conversationId, send.getClientId(), send.getDeviceId(),
                    FORBIDDEN, "you cannot post in this conversation", ingestTime));
            return;
        }
        String contentRefused = Envelopes.kindRefusal(state.getSnapshot(), send.getCiphertext(), "send");
        if (contentRefused != null) {
            metrics.refused(BAD_REQUEST);
            log.debug("send of {} refused: {}", send.getSenderId(), contentRefused);
            toUser(record, send.getSenderId(), new SendRefused(conversationId, send.getClientId(), send.getDeviceId(),
                    BAD_REQUEST, contentRefused, ingestTime));
            return;
        }
        if (!send.getAttachments().isEmpty() && state.getSnapshot().getEncrypted()) {
            // The gateway refuses these before publishing; this keeps plaintext files out of an encrypted conversation
            // for a gateway that did not look (the server would hold bytes the members encrypt everything else from).
            metrics.refused(BAD_REQUEST);
            toUser(record, send.getSenderId(), new SendRefused(conversationId, send.getClientId(), send.getDeviceId(),
                    BAD_REQUEST, "attachments are not supported in end-to-end encrypted conversations yet",
                    ingestTime));
            return;
        }
        Long replyTo = send.getReplyTo();
        if (replyTo != null && (replyTo < 1 || replyTo > state.getLastSeq())) {
            metrics.refused(BAD_REQUEST);
            toUser(record, send.getSenderId(), new SendRefused(conversationId, send.getClientId(), send.getDeviceId(),
                    BAD_REQUEST, "replyTo must be the seq of a message of this conversation", ingestTime));
            return;
        }
        long seq = state.getLastSeq() + 1;
        boolean encrypted = send.getCiphertext() != null;
        ChatMessage message = new ChatMessage(conversationId, seq, messageId(conversationId, seq), send.getClientId(),
                send.getSenderId(), send.getDeviceId(), encrypted ? "" : send.getBody(), ingestTime,
                encrypted ? Envelopes.forMembers(send.getCiphertext(), state.getSnapshot()) : null, replyTo,
                send.getAttachments(), failed(send));
        state.setLastSeq(seq);
        // Sending moves the sender's own read cursor up to their message (API: unread counts others' messages).
        boolean passedOthers = MemberCursors.readSeq(state, send.getSenderId()) < seq - 1;
        MemberCursors.advanceRead(state, send.getSenderId(), seq);
        states.put(conversationId, state);
        accepted.put(dedupeKey, message, record.timestamp());
        facts.put(factsKey(conversationId, seq), new MessageFacts(send.getSenderId(), false, new ArrayList<>(), 0L));
        metrics.sequenced();
        log.debug("sequenced as seq {}, fanned out to {} members", seq, state.getSnapshot().getMembers().size());

        context.forward(record.withValue(new Accepted(message)));
        for (Member member : state.getSnapshot().getMembers()) {
            toUser(record, member.getUserId(), Envelopes.forRecipient(message, member.getUserId()));
        }
        if (state.getSnapshot().getType() == ConversationType.ASSISTANT
                && !AssistantUser.ID.equals(send.getSenderId())) {
            questionUncommitted = true;
        }
        if (passedOthers) {
            // The cursor passed messages of others that no read had covered: without a receipt their senders would
            // never see them read, since a read up to them arriving after this send moves nothing. The sender's own
            // message needs none (the others see the message itself), so only this case announces one.
            receiptMoved(record, conversationId, state,
                    new Receipt(conversationId, send.getSenderId(), ReceiptKind.READ, seq, ingestTime));
        }
    }

    /**
     * Only the assistant's answer may say that the model failed (D15): the gateway never sets the flag from a frame,
     * and a send of anyone else that carries it anyway is not believed.
     */
    private static boolean failed(SendMessage send) {
        return send.getFailed() && AssistantUser.ID.equals(send.getSenderId());
    }

    /**
     * An edit, delete or reaction (D13), judged against the message's facts at this place in the order. Accepted ones go
     * to chat.message-updates and to every member's log (an edit's envelopes filtered per member, like a message's);
     * a retried id changes nothing again; a refusal goes to the author's devices as an error naming the id.
     */
    private void update(Record<String, InboundCommand> record, String conversationId, ConversationState state,
                        UpdateMessage update, Instant ingestTime) {
        String dedupeKey = dedupeKey(conversationId, update.getUserId(), update.getClientId());
        try (WindowStoreIterator<String> found = updated.fetch(dedupeKey,
                Instant.ofEpochMilli(record.timestamp()).minus(dedupeWindow), Instant.ofEpochMilli(record.timestamp()))) {
            if (found.hasNext()) {
                metrics.duplicate();
                return;
            }
        }
        String key = factsKey(conversationId, update.getSeq());
        Optional<MessageFacts> known = update.getSeq() >= 1 && update.getSeq() <= state.getLastSeq()
                ? Optional.ofNullable(facts.get(key)) : Optional.empty();
        switch (MessageUpdateRules.judge(conversationId, state, known, update, ingestTime)) {
            case MessageUpdateRules.Outcome.Accepted accepted -> {
                facts.put(key, accepted.facts());
                updated.put(dedupeKey, accepted.update().getUpdateId(), record.timestamp());
                log.debug("{} of seq {} by {} accepted", update.getKind(), update.getSeq(), update.getUserId());
                context.forward(record.withValue(new UpdateApplied(accepted.update())));
                for (Member member : state.getSnapshot().getMembers()) {
                    toUser(record, member.getUserId(), Envelopes.forRecipient(accepted.update(), member.getUserId()));
                }
            }
            case MessageUpdateRules.Outcome.Unchanged unchanged ->
                    log.debug("{} of seq {} by {} changes nothing", update.getKind(), update.getSeq(), update.getUserId());
            case MessageUpdateRules.Outcome.Refused refused -> {
                metrics.refused(refused.code());
                log.debug("{} of seq {} by {} refused: {}", update.getKind(), update.getSeq(), update.getUserId(),
                        refused.message());
                toUser(record, update.getUserId(), new SendRefused(conversationId, update.getClientId(),
                        update.getDeviceId(), refused.code(), refused.message(), ingestTime));
            }
        }
    }

    /** Sorted by seq within a conversation (zero-padded), so a conversation's facts sit together in the store. */
    static String factsKey(String conversationId, long seq) {
        return conversationId + '\u0000' + String.format("%019d", seq);
    }

    private void read(Record<String, InboundCommand> record, String conversationId, ConversationState state,
                      ReadUpTo read, Instant ingestTime) {
        if (!isMember(state, read.getUserId())) {
            log.debug("ignoring read cursor of non-member {} in {}", read.getUserId(), conversationId);
            return;
        }
        OptionalLong readSeq = MemberCursors.advanceRead(state, read.getUserId(), read.getSeq());
        if (readSeq.isPresent()) {
            receiptMoved(record, conversationId, state, new Receipt(conversationId, read.getUserId(), ReceiptKind.READ,
                    readSeq.getAsLong(), ingestTime));
        }
    }

    private void delivered(Record<String, InboundCommand> record, String conversationId, ConversationState state,
                           DeliveredUpTo delivered, Instant ingestTime) {
        if (!isMember(state, delivered.getUserId())) {
            log.debug("ignoring delivered cursor of non-member {} in {}", delivered.getUserId(), conversationId);
            return;
        }
        OptionalLong deliveredSeq = MemberCursors.advanceDelivered(state, delivered.getUserId(), delivered.getSeq());
        if (deliveredSeq.isPresent()) {
            receiptMoved(record, conversationId, state, new Receipt(conversationId, delivered.getUserId(),
                    ReceiptKind.DELIVERED, deliveredSeq.getAsLong(), ingestTime));
        }
    }

    /** A cursor moved: its receipt goes now, with those held, or waits in the state ({@link ReceiptWave}). */
    private void receiptMoved(Record<String, InboundCommand> record, String conversationId, ConversationState state,
                              Receipt receipt) {
        List<Receipt> now = wave.moved(conversationId, state, receipt, record.timestamp());
        states.put(conversationId, state);
        now.forEach(announced -> publishReceipt(record, state, announced));
    }

    /**
     * To chat.receipts (the read models' source) and to the logs of the members it concerns: a read receipt to every
     * member, the reader's own devices included so that their unread badges follow; a delivered one to the others.
     * A receipt of someone who left while it was held goes nowhere.
     */
    private void publishReceipt(Record<String, InboundCommand> record, ConversationState state, Receipt receipt) {
        if (!isMember(state, receipt.getUserId())) {
            return;
        }
        boolean includingItsUser = receipt.getKind() == ReceiptKind.READ;
        // keyed by its own conversation: a held receipt goes out with another conversation's record, or a tick's
        context.forward(record.withKey(receipt.getConversationId()).withValue(new ReceiptApplied(receipt)));
        for (Member member : state.getSnapshot().getMembers()) {
            if (includingItsUser || !member.getUserId().equals(receipt.getUserId())) {
                toUser(record, member.getUserId(), receipt);
            }
        }
    }

    private void change(Record<String, InboundCommand> record, String conversationId, ConversationState state,
                        ConversationChanged change, Instant ingestTime) {
        ConversationSnapshot next = change.getConversation();
        ConversationSnapshot current = state.getSnapshot();
        if (current != null && next.getVersion() <= current.getVersion()) {
            // Published by REST and relayed again by CDC (D1): the second copy, or an older one, changes nothing.
            return;
        }
        Set<String> concerned = new LinkedHashSet<>();
        if (current != null) {
            current.getMembers().forEach(m -> concerned.add(m.getUserId()));
        }
        next.getMembers().forEach(m -> concerned.add(m.getUserId()));
        state.setSnapshot(next);
        MemberCursors.dropNonMembers(state);
        states.put(conversationId, state);
        if (current != null && nothingVisibleChanged(current, next)) {
            // a block placed or lifted (or placed by the other side too): what the members see of the conversation is
            // the same, and the block itself is nobody's event, not even as an empty "updated"
            return;
        }

        ConversationEvent event = new ConversationEvent(change.getKind(), next, ingestTime);
        for (String userId : concerned) {
            toUser(record, userId, event);
        }
    }

    private static boolean nothingVisibleChanged(ConversationSnapshot current, ConversationSnapshot next) {
        return current.getType() == next.getType() && Objects.equals(current.getTitle(), next.getTitle())
                && Objects.equals(current.getAvatarMediaId(), next.getAvatarMediaId())
                && current.getMembers().equals(next.getMembers());
    }

    private ChatMessage alreadyAccepted(String dedupeKey, long timestamp) {
        try (WindowStoreIterator<ChatMessage> found = accepted.fetch(dedupeKey,
                Instant.ofEpochMilli(timestamp).minus(dedupeWindow), Instant.ofEpochMilli(timestamp))) {
            return found.hasNext() ? found.next().value : null;
        }
    }

    private void toUser(Record<String, InboundCommand> record, String userId, Object payload) {
        if (AssistantUser.ID.equals(userId)) {
            // The assistant's user is a member of every assistant conversation but has no devices, and its worker
            // reads chat.messages (D15): its log would have no reader, and all assistant traffic of the deployment
            // would land in the one partition its key maps to.
            return;
        }
        Record<String, ForMember> out = record.withKey(userId)
                .withValue(new ForMember(new UserCommand(new UserEvent(userId, payload))));
        // Always present for records read from chat.inbound; the origin lets the user side drop a replay's repeats.
        context.recordMetadata().ifPresent(input ->
                new Origin(input.partition(), input.offset(), userOutputs++).stamp(out.headers()));
        context.forward(out);
    }

    /** Avro's decoded arrays cannot remove elements; the processor edits plain lists. */
    private static ConversationState editable(ConversationState stored) {
        return stored == null
                ? new ConversationState(null, 0L, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 0L)
                : new ConversationState(stored.getSnapshot(), stored.getLastSeq(),
                        new ArrayList<>(stored.getReadCursors()), new ArrayList<>(stored.getDeliveredCursors()),
                        new ArrayList<>(stored.getHeldReceipts()), stored.getReceiptsAnnouncedAt());
    }

    static boolean isMember(ConversationState state, String userId) {
        return state.getSnapshot() != null
                && state.getSnapshot().getMembers().stream().anyMatch(m -> m.getUserId().equals(userId));
    }

    static String dedupeKey(String conversationId, String senderId, String clientId) {
        return conversationId + '\u0000' + senderId + '\u0000' + clientId;
    }

    /** Derived from (conversation, seq) so that a replay, or a zombie's unfenced write, repeats the same id (D2). */
    static String messageId(String conversationId, long seq) {
        return UUID.nameUUIDFromBytes((conversationId + '#' + seq).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
