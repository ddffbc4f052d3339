package io.kchat.processor.user;

import io.kchat.events.DeviceAck;
import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.LoggedEvent;
import io.kchat.events.PendingPush;
import io.kchat.events.PushDue;
import io.kchat.events.SessionCheck;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRoute;
import io.kchat.events.SessionsRevoked;
import io.kchat.events.StreamTick;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.events.UserState;
import io.kchat.observability.Correlation;
import io.kchat.processor.headers.Origin;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.processor.streams.StallWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one user's commands in partition order. Session events arrive in the same partition as
 * the events they receive, so a session's replay is emitted before any live event for it: nothing
 * live overtakes a queued event (D4). Reads its input uncommitted (D3), so a repeat of the conversation side's
 * output after an aborted transaction is dropped by its {@link Origin} ({@link UpstreamMarks}).
 * Deterministic (D2): no clock, no randomness; what it holds back ({@link DeliveredWave}, {@link PendingPushes}) goes
 * out at a stream time, and a wall-clock punctuation only ever asks for a tick ({@link IdleTicks}), which arrives as
 * input. Outputs are the input record with another key or value ({@link UserOutput}), so they keep its headers, the
 * correlation id among them; a punctuation's outputs have none.
 */
final class UserLogProcessor implements Processor<String, UserCommand, String, UserSideOutput> {

    private static final Logger log = LoggerFactory.getLogger(UserLogProcessor.class);

    private final LogRetention retention;
    private final NodeEgress egress;
    private final DeliveredWave wave;
    private final PendingPushes pushes;
    private final StallWatch stallWatch;
    private final UserMetrics metrics;
    private ProcessorContext<String, UserSideOutput> context;
    private KeyValueStore<String, UserState> states;
    private UserLog userLog;
    private Sessions sessions;
    private Acks acks;
    private SessionChecks checks;

    UserLogProcessor(LogRetention retention, NodeEgress egress, DeliveredWave wave, PendingPushes pushes,
                     IdleTicks ticks, UserMetrics metrics) {
        this.retention = retention;
        this.egress = egress;
        this.wave = wave;
        this.pushes = pushes;
        this.stallWatch = new StallWatch(stallPeriod(wave, pushes), ticks,
                () -> wave.anyHeld() || pushes.anyPending());
        this.metrics = metrics;
    }

    /** A stalled stream time is noticed as soon as the more pressing of the two holders would look at it again. */
    private static Duration stallPeriod(DeliveredWave wave, PendingPushes pushes) {
        Duration period = pushes.punctuationInterval();
        return wave.enabled() && wave.punctuationInterval().compareTo(period) < 0 ? wave.punctuationInterval() : period;
    }

    @Override
    public void init(ProcessorContext<String, UserSideOutput> context) {
        this.context = context;
        this.states = context.getStateStore(UserLogTopology.STATE_STORE);
        this.userLog = new UserLog(context.getStateStore(UserLogTopology.LOG_STORE));
        this.sessions = new Sessions(userLog);
        this.wave.init(context.getStateStore(DeliveredWave.STORE));
        this.pushes.init(context.getStateStore(PendingPushes.STORE), context.getStateStore(PendingPushes.DUE_STORE));
        this.acks = new Acks(userLog, wave);
        this.checks = new SessionChecks(sessions, metrics);
        if (wave.enabled()) {
            context.schedule(wave.punctuationInterval(), PunctuationType.STREAM_TIME, this::announceDue);
        }
        context.schedule(pushes.punctuationInterval(), PunctuationType.STREAM_TIME, this::pushDue);
        stallWatch.start(context);
    }

    /** Stream time {@code now} reached: the users whose held frontiers are due announce them, stamped {@code now}. */
    private void announceDue(long now) {
        for (String userId : wave.takeDue(now)) {
            UserState stored = states.get(userId);
            if (stored != null) {
                UserState state = editable(stored);
                wave.announce(UserOutput.at(context, userId, now, egress, metrics), state);
                states.put(userId, state);
            }
        }
    }

    /**
     * Stream time {@code now} reached: each due burst is owed by the devices of its user that are registered, have no
     * open session and have not acked it, judged now; a PushDue stamped {@code now} names them, if there are any.
     */
    private void pushDue(long now) {
        boolean emitted = false;
        for (PendingPush burst : pushes.takeDue(now)) {
            UserState state = states.get(burst.getUserId());
            List<String> owing = state == null ? List.of() : Devices.owing(state, burst.getUserSeq());
            log.debug("push for {} in {} due at {}: owed by {}", burst.getUserId(), burst.getConversationId(), now,
                    owing);
            if (!owing.isEmpty()) {
                UserOutput.at(context, burst.getUserId(), now, egress, metrics).push(new PushDue(burst.getUserId(),
                        burst.getConversationId(), burst.getSeq(), burst.getMessageId(), burst.getSenderId(),
                        burst.getUserSeq(), owing, burst.getMessages(), burst.getEncrypted(), burst.getSentAt(),
                        Instant.ofEpochMilli(now)));
                emitted = true;
            }
        }
        if (emitted) {
            // the push sender reads read_committed: without this the push would wait for the commit interval (1 s by
            // default) on top of the grace; at most one extra commit per punctuation of a task with pushes due
            context.commit();
        }
    }

    @Override
    public void process(Record<String, UserCommand> record) {
        try (Correlation.Scope ignored = Correlation.open(record.headers())) {
            apply(record);
        }
    }

    private void apply(Record<String, UserCommand> record) {
        if (record.value() != null && record.value().getCommand() instanceof StreamTick) {
            // it moved stream time, which is all it is for
            return;
        }
        String userId = record.key();
        if (userId == null || record.value() == null) {
            log.warn("dropping user command without key or value");
            return;
        }
        log.debug("{} for {}", record.value().getCommand().getClass().getSimpleName(), userId);
        UserState state = editable(states.get(userId));
        Optional<Origin> origin = Origin.of(record.headers());
        if (origin.isPresent() && !UpstreamMarks.advance(state, origin.get())) {
            log.debug("dropping a repeat from the conversation side for {}: {}", userId, origin.get());
            metrics.repeatDropped();
            return;
        }
        UserOutput out = new UserOutput(context, record, egress, metrics);
        // a mark advanced above is a change too
        if (applyCommand(out, state, record.value().getCommand()) || origin.isPresent()) {
            states.put(userId, state);
        }
    }

    /** Applies one command; returns whether the state may have changed (only a session check says no). */
    private boolean applyCommand(UserOutput out, UserState state, Object command) {
        switch (command) {
            case UserEvent event -> append(out, state, event);
            case SessionOpened opened -> sessions.open(out, state, opened);
            case SessionClosed closed -> sessions.close(out, state, closed);
            case DeviceAck ack -> acks.ack(out, state, ack);
            case DeviceRegistered registered -> Devices.register(state, registered.getDeviceId());
            case DeviceRemoved removed -> removeDevice(out, state, removed);
            case SessionsRevoked revoked -> sessions.revoke(out, state, revoked);
            case SessionCheck check -> {
                return checks.check(out, state, check);
            }
            default -> log.warn("unknown user command {} for {}", command.getClass(), out.userId());
        }
        return true;
    }

    private void append(UserOutput out, UserState state, UserEvent event) {
        if (!RecentEvents.firstTime(state, event)) {
            log.debug("dropping the second copy of an event for {}", out.userId());
            metrics.repeatDropped();
            return;
        }
        long userSeq = state.getLastUserSeq() + 1;
        LoggedEvent logged = new LoggedEvent(userSeq, event);
        userLog.append(out.userId(), logged);
        state.setLastUserSeq(userSeq);
        PendingDeliveries.appended(state, out.userId(), logged);
        pushes.appended(out.userId(), state, logged, out.recordTime().toEpochMilli());
        retention.trimAfterAppend(userLog, out.userId(), state, event);
        List<SessionRoute> routes = Sessions.routes(state);
        log.debug("appended userSeq {} for {}, {} sessions to deliver to", userSeq, out.userId(), routes.size());
        if (!routes.isEmpty()) {
            out.deliver(routes, logged);
        }
    }

    /** Logout or deletion: the device no longer holds back trimming; if it comes back it is new. */
    private void removeDevice(UserOutput out, UserState state, DeviceRemoved removed) {
        sessions.closeAllOf(out, state, removed.getDeviceId(), removed.getAt());
        if (Devices.remove(state, removed.getDeviceId())) {
            Devices.trimAcked(userLog, out.userId(), state);
        }
    }

    /** Avro's decoded arrays cannot remove elements; the processor edits plain lists. */
    private static UserState editable(UserState stored) {
        return stored == null
                // A new log has nothing unmarked (the schema's default is for logs older than the marks).
                ? new UserState(0L, 1L, new ArrayList<>(), new ArrayList<>(), 0L, new ArrayList<>(), new ArrayList<>(), 0L,
                        new ArrayList<>(), new ArrayList<>(), 0L, new ArrayList<>())
                : new UserState(stored.getLastUserSeq(), stored.getOldestUserSeq(), new ArrayList<>(stored.getDevices()),
                        new ArrayList<>(stored.getSessions()), stored.getDeliveredUserSeq(),
                        new ArrayList<>(stored.getUpstream()), new ArrayList<>(stored.getPendingDelivered()),
                        stored.getUnmarkedUpTo(), new ArrayList<>(stored.getRevokedSessions()),
                        new ArrayList<>(stored.getHeldDelivered()), stored.getDeliveredAnnouncedAt(),
                        new ArrayList<>(stored.getRecentEventIds()));
    }
}
