package io.kchat.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every runnable's logback.xml, as its jar ships it, honours LOG_FORMAT (docs/configuration.md): {@code json} gives
 * the root logger exactly the JSON appender, nothing or {@code text} exactly the text one. A service whose file
 * forgot the switch would log text where Compose and Kubernetes expect JSON.
 */
class LoggingConfigTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ingest-gateway", "streams-processor", "delivery-service", "deploy/chat-local"})
    void logFormatPicksTheAppender(String module) throws JoranException {
        String file = module + "/src/main/resources/logback.xml";
        assertEquals(List.of("json"), rootAppenders(file, "json"), file);
        assertInstanceOf(JsonEncoder.class, encoder(file, "json"), file);
        assertEquals(List.of("text"), rootAppenders(file, "text"), file);
        assertEquals(List.of("text"), rootAppenders(file, null), file + ": text unless told otherwise");
        assertInstanceOf(LayoutWrappingEncoder.class, encoder(file, null), file);
    }

    private static List<String> rootAppenders(String file, String logFormat) throws JoranException {
        LoggerContext context = configured(file, logFormat);
        try {
            List<String> names = new ArrayList<>();
            Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            appenders.forEachRemaining(appender -> names.add(appender.getName()));
            return names;
        } finally {
            context.stop();
        }
    }

    private static Object encoder(String file, String logFormat) throws JoranException {
        LoggerContext context = configured(file, logFormat);
        try {
            Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            return ((OutputStreamAppender<ILoggingEvent>) appenders.next()).getEncoder();
        } finally {
            context.stop();
        }
    }

    private static LoggerContext configured(String file, String logFormat) throws JoranException {
        LoggerContext context = new LoggerContext();
        if (logFormat != null) {
            context.putProperty("LOG_FORMAT", logFormat); // looked up before the environment, as LOG_FORMAT would be
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Repository.path(file).toFile());
        return context;
    }
}
