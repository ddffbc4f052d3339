package io.kchat.fault;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * What one service child prints from now on, as {@link ServiceProcess} forwards it (one log event per line,
 * to the logger {@code service.<name>}), kept so that a test can show what happened inside the service.
 * {@link #close()} stops collecting; the lines still reach the test log either way.
 */
final class ServiceLog implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }
    };

    private ServiceLog(Logger logger) {
        this.logger = logger;
    }

    static ServiceLog of(ServiceProcess service) {
        Logger logger = (Logger) LoggerFactory.getLogger("service." + service.name());
        ServiceLog log = new ServiceLog(logger);
        log.appender.setContext(logger.getLoggerContext());
        log.appender.setName("collect-" + service.name());
        log.appender.start();
        logger.addAppender(log.appender);
        return log;
    }

    /** The lines printed so far that contain {@code text}. */
    List<String> linesWith(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    boolean contains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
