package io.kchat.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelationTest {

    @Test
    void aClientsIdIsKeptBehindARandomPrefixAndCannotForgeLogLines() {
        String first = Correlation.forClientId("msg-42");
        String second = Correlation.forClientId("msg-42");
        assertTrue(first.matches("[0-9a-f]{8}\\.msg-42"), first);
        assertNotEquals(first, second, "one id used twice (a retry, or two clients) still tells the frames apart");

        String hostile = Correlation.forClientId("x\n12:00:00 ERROR forged line \"}" + "y".repeat(200));
        assertTrue(hostile.matches("[A-Za-z0-9._:-]{1,64}"), hostile);
    }

    @Test
    void headersCarryTheIdAndOnlyTheLastOneCounts() {
        RecordHeaders headers = new RecordHeaders();
        assertNull(Correlation.of(headers));
        headers.add(Correlation.HEADER, "old".getBytes(StandardCharsets.UTF_8));
        Correlation.put(headers, "abc123");
        assertEquals("abc123", Correlation.of(headers));
        assertEquals(1, headers.toArray().length);

        headers.add(Correlation.HEADER, "evil\r\nid".getBytes(StandardCharsets.UTF_8));
        assertEquals("evil__id", Correlation.of(headers));
    }

    @Test
    void aScopeRestoresTheMdcAsItWas() {
        MDC.remove(Correlation.MDC_KEY);
        try (Correlation.Scope outer = Correlation.open("outer")) {
            assertEquals("outer", Correlation.current());
            try (Correlation.Scope inner = Correlation.open("inner")) {
                assertEquals("inner", Correlation.current());
            }
            assertEquals("outer", Correlation.current());
            try (Correlation.Scope none = Correlation.open((String) null)) {
                assertEquals("outer", Correlation.current(), "no id: the current one stays");
            }
            assertEquals("outer", Correlation.currentOrNew());
        }
        assertNull(Correlation.current());
        assertTrue(Correlation.currentOrNew().matches("[0-9a-f]{16}"));
    }
}
