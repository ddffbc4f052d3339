package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.DeviceAck;
import io.kchat.events.DeviceCursor;
import io.kchat.events.LoggedEvent;
import io.kchat.events.OpenSession;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.events.UserState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one user's commands in partition order. Session events arrive in the same partition as
 * the events they receive, so a session's replay is emitted before any live event for it: nothing
 * live overtakes a queued event (D4). Deterministic (D2): no clock, no randomness.
 */
final class UserLogProcessor implements Processor<String, UserCommand, String, Delivery> {

    private static final Logger log = LoggerFactory.getLogger(UserLogProcessor.class);

    private final int maxEventsPerUser;
    private ProcessorContext<String, Delivery> context;
    private KeyValueStore<String, UserState> states;
    private UserLog userLog;

    UserLogProcessor(int maxEventsPerUser) {
        this.maxEventsPerUser = maxEventsPerUser;
    }

    @Override
    public void init(ProcessorContext<String, Delivery> context) {
        this.context = context;
        this.states = context.getStateStore(UserLogTopology.STATE_STORE);
        this.userLog = new UserLog(context.getStateStore(UserLogTopology.LOG_STORE));
    }

    @Override
    public void process(Record<String, UserCommand> record) {
        String userId = record.key();
        if (userId == null || record.value() == null) {
            log.warn("dropping user command without key or value");
            return;
        }
        UserState state = states.get(userId);
        state = state == null
                ? new UserState(0L, 1L, new ArrayList<>(), new ArrayList<>())
                // Avro's decoded arrays cannot remove elements; the processor edits plain lists.
                : new UserState(state.getLastUserSeq(), state.getOldestUserSeq(),
                        new ArrayList<>(state.getDevices()), new ArrayList<>(state.getSessions()));
        switch (record.value().getCommand()) {
            case UserEvent event -> append(record, userId, state, event);
            case SessionOpened opened -> openSession(record, userId, state, opened);
            case SessionClosed closed -> closeSession(state, closed);
            case DeviceAck ack -> ack(userId, state, ack);
            default -> log.warn("unknown user command {} for {}", record.value().getCommand().getClass(), userId);
        }
        states.put(userId, state);
    }

    private void append(Record<String, UserCommand> record, String userId, UserState state, UserEvent event) {
        long userSeq = state.getLastUserSeq() + 1;
        LoggedEvent logged = new LoggedEvent(userSeq, event);
        userLog.append(userId, logged);
        state.setLastUserSeq(userSeq);
        if (userSeq - state.getOldestUserSeq() + 1 > maxEventsPerUser) {
            // Beyond the bound the oldest event goes; a device whose cursor is older gets `gap` on replay.
            userLog.trimBelow(userId, state, userSeq - maxEventsPerUser + 1);
        }
        List<SessionRoute> routes = routes(state.getSessions());
        if (!routes.isEmpty()) {
            emit(record, userId, routes, logged);
        }
    }

    private void openSession(Record<String, UserCommand> record, String userId, UserState state, SessionOpened opened) {
        state.getSessions().removeIf(s -> s.getSessionId().equals(opened.getSessionId()));
        state.getSessions().add(new OpenSession(opened.getDeviceId(), opened.getSessionId(), opened.getNodeId()));
        DeviceCursor cursor = cursor(state, opened.getDeviceId());
        if (cursor == null) {
            // A new device starts with an empty queue: it gets events from its registration on.
            cursor = new DeviceCursor(opened.getDeviceId(), state.getLastUserSeq());
            state.getDevices().add(cursor);
        }
        List<SessionRoute> route = List.of(new SessionRoute(opened.getNodeId(), opened.getSessionId()));
        emit(record, userId, route, new ReplayStarted(opened.getDeviceId(), cursor.getAckedUserSeq()));
        long from = cursor.getAckedUserSeq() + 1;
        if (from < state.getOldestUserSeq()) {
            emit(record, userId, route, new ReplayGap(state.getOldestUserSeq()));
            from = state.getOldestUserSeq();
        }
        userLog.forEach(userId, from, state.getLastUserSeq(), event -> emit(record, userId, route, event));
        emit(record, userId, route, new ReplayFinished(state.getLastUserSeq()));
    }

    private void closeSession(UserState state, SessionClosed closed) {
        state.getSessions().removeIf(s -> s.getSessionId().equals(closed.getSessionId()));
    }

    private void ack(String userId, UserState state, DeviceAck ack) {
        DeviceCursor cursor = cursor(state, ack.getDeviceId());
        if (cursor == null) {
            log.debug("ack from unknown device {} of {}", ack.getDeviceId(), userId);
            return;
        }
        long acked = Math.min(ack.getUserSeq(), state.getLastUserSeq());
        if (acked <= cursor.getAckedUserSeq()) {
            return;
        }
        cursor.setAckedUserSeq(acked);
        // An event stays until every device of the user acked it.
        long ackedByAll = state.getDevices().stream().mapToLong(DeviceCursor::getAckedUserSeq).min().orElse(acked);
        userLog.trimBelow(userId, state, ackedByAll + 1);
    }

    private void emit(Record<String, UserCommand> record, String userId, List<SessionRoute> routes, Object item) {
        context.forward(record.withValue(new Delivery(userId, routes, item)));
    }

    private static DeviceCursor cursor(UserState state, String deviceId) {
        for (DeviceCursor cursor : state.getDevices()) {
            if (cursor.getDeviceId().equals(deviceId)) {
                return cursor;
            }
        }
        return null;
    }

    private static List<SessionRoute> routes(List<OpenSession> sessions) {
        List<SessionRoute> routes = new ArrayList<>(sessions.size());
        for (OpenSession session : sessions) {
            routes.add(new SessionRoute(session.getNodeId(), session.getSessionId()));
        }
        return routes;
    }
}
