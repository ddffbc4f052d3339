package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    private final MessageAssembler assembler = new MessageAssembler(8);

    @Test
    void joinsFragments() throws Exception {
        assertNull(assembler.append("{\"a", false));
        assertEquals("{\"a\":1}", assembler.append("\":1}", true));
        assertEquals("{}", assembler.append("{}", true));
    }

    @Test
    void countsUtf8BytesAcrossFragments() throws Exception {
        assertNull(assembler.append("\u00e9\u00e9", false)); // 4 bytes
        assertThrows(MessageAssembler.MessageTooLargeException.class, () -> assembler.append("\u00e9\u00e9\u00e9", true));
        assertEquals("12345678", assembler.append("12345678", true), "the next message starts afresh");
    }
}
