package io.kchat.local;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kchat.gateway.otp.LoggingSmsSender;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The phone codes of an in-process stack with OTP_SENDER=log (./chat-local's default), read where a person running
 * it reads them: the SMS lines of the log.
 */
final class SmsLog implements AutoCloseable {

    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private final Logger logger = (Logger) LoggerFactory.getLogger(LoggingSmsSender.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    SmsLog() {
        lines.start();
        logger.addAppender(lines);
    }

    /** The code of the newest text sent to {@code phone}, if one was sent. */
    Optional<String> lastCodeFor(String phone) {
        synchronized (lines.list) {
            for (int i = lines.list.size() - 1; i >= 0; i--) {
                String line = lines.list.get(i).getFormattedMessage();
                Matcher code = CODE.matcher(line);
                if (line.startsWith("SMS to " + phone + ":") && code.find()) {
                    return Optional.of(code.group(1));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
        lines.stop();
    }
}
