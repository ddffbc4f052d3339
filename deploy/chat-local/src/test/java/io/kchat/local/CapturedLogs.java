package io.kchat.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Every log event of the JVM from {@link #attach()} to {@link #close()}, as text: level, logger, message with its arguments,
 * MDC, key-value pairs and the whole throwable chain. Our own loggers ({@code io.kchat}) are turned to DEBUG meanwhile,
 * so that what would only be logged at debug is seen too.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One log event: its level, logger, and everything it carries as text. */
    record Event(String level, String logger, String text) {
    }

    private static final String OURS = "io.kchat";
    private final Queue<Event> events = new ConcurrentLinkedQueue<>();
    private final Logger root;
    private final Logger ours;
    private final Level oursBefore;

    private CapturedLogs(LoggerContext context) {
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        this.ours = context.getLogger(OURS);
        this.oursBefore = ours.getLevel();
        setContext(context);
        setName("plaintext-scan");
    }

    static CapturedLogs attach() {
        CapturedLogs logs = new CapturedLogs((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        logs.root.addAppender(logs);
        logs.ours.setLevel(Level.DEBUG);
        return logs;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        if (!event.getMDCPropertyMap().isEmpty()) {
            text.append(" mdc=").append(event.getMDCPropertyMap());
        }
        if (event.getKeyValuePairs() != null && !event.getKeyValuePairs().isEmpty()) {
            text.append(" kv=").append(event.getKeyValuePairs());
        }
        if (event.getThrowableProxy() != null) {
            text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        events.add(new Event(event.getLevel().toString(), event.getLoggerName(), text.toString()));
    }

    /** What was logged so far, in order. */
    List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        ours.setLevel(oursBefore);
        stop();
    }
}
