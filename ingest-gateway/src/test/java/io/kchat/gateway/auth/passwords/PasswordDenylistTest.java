package io.kchat.gateway.auth.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordDenylistTest {

    @Test
    void theShippedListHoldsZxcvbnsThirtyThousandPasswords() {
        PasswordDenylist shipped = PasswordDenylist.load(null);

        assertEquals(30_000, shipped.size());
        assertTrue(shipped.contains("123456"));
        assertTrue(shipped.contains("password"));
        assertTrue(shipped.contains("geekboy"), "the last entry of the list");
        assertFalse(shipped.contains("correct horse battery staple"));
    }

    @Test
    void comparesCaseInsensitively() {
        PasswordDenylist shipped = PasswordDenylist.shipped();

        assertTrue(shipped.contains("PaSsWoRd"));
        assertTrue(shipped.contains("QWERTY"));
    }

    @Test
    void aConfiguredFileReplacesTheShippedList(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("denied.txt");
        Files.writeString(file, "Hunter22\r\n\n  spaced out  \nzebra-crossing\n", StandardCharsets.UTF_8);

        PasswordDenylist custom = PasswordDenylist.load(file.toString());

        assertEquals(3, custom.size());
        assertTrue(custom.contains("hunter22"));
        assertTrue(custom.contains("ZEBRA-CROSSING"));
        assertTrue(custom.contains("spaced out"));
        assertFalse(custom.contains("password"), "the shipped list is replaced, not extended");
    }

    @Test
    void anUnreadableFileFailsTheStart(@TempDir Path dir) {
        assertThrows(UncheckedIOException.class, () -> PasswordDenylist.load(dir.resolve("missing.txt").toString()));
    }
}
