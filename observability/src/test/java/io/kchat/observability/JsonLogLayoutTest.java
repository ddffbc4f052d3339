package io.kchat.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The shared appenders as a service's logback.xml includes them: LOG_FORMAT picks one, and the JSON one writes
 * each event as one JSON object on one line, with the correlation id of the MDC.
 */
class JsonLogLayoutTest {

    private LoggerContext context;

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void jsonIsOneObjectPerLineWithTheCorrelationIdOfTheMdc() throws Exception {
        ByteArrayOutputStream out = configure("json");
        Logger logger = context.getLogger("io.kchat.gateway.ws.ClientCommands");
        try (Correlation.Scope ignored = Correlation.open("3f9a0c1e.msg-42")) {
            logger.warn("cannot publish a client command (ref {}, id {})", "r1", "msg-42",
                    new IllegalStateException("broker gone"));
        }

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one event, one line: " + lines);
        JsonNode event = new ObjectMapper().readTree(lines.getFirst());
        assertEquals("WARN", event.path("level").asText());
        assertEquals("io.kchat.gateway.ws.ClientCommands", event.path("loggerName").asText());
        assertEquals("cannot publish a client command (ref r1, id msg-42)", event.path("formattedMessage").asText());
        assertEquals("3f9a0c1e.msg-42", event.at("/mdc/correlationId").asText());
        assertEquals("broker gone", event.at("/throwable/message").asText());
        assertTrue(event.path("timestamp").isNumber());
        assertFalse(event.has("arguments"), "the formatted message only: " + event);
    }

    @Test
    void textIsTheDefaultAndShowsTheCorrelationIdOnlyWhenThereIsOne() throws Exception {
        ByteArrayOutputStream out = configure(null);
        Logger logger = context.getLogger("io.kchat.test");
        try (Correlation.Scope ignored = Correlation.open("abc123")) {
            logger.info("with");
        }
        logger.info("without");

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).endsWith(" INFO  [main] io.kchat.test [abc123] - with"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" INFO  [main] io.kchat.test - without"), lines.get(1));
    }

    /** A context configured like a service's, its one console appender writing to the returned buffer. */
    private ByteArrayOutputStream configure(String logFormat) throws JoranException {
        context = new LoggerContext();
        // the MDC that slf4j's MDC writes to: the one of the process's own context
        context.setMDCAdapter(MDC.getMDCAdapter());
        if (logFormat != null) {
            context.putProperty("LOG_FORMAT", logFormat); // as the environment variable would be
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogLayoutTest.class.getResource("/logback-service-like.xml"));

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String chosen = logFormat == null ? "text" : logFormat;
        String other = chosen.equals("text") ? "json" : "text";
        assertNull(root.getAppender(other), "only the chosen appender is attached");
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) root.getAppender(chosen);
        assertNotNull(appender, chosen + " appender attached to the root");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        appender.setOutputStream(out);
        return out;
    }
}
