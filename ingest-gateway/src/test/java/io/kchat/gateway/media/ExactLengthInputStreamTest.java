package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExactLengthInputStreamTest {

    @Test
    void readsExactlyTheAnnouncedBytesAndNoMore() throws IOException {
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), 3);
        assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
        assertFalse(in.truncated());
    }

    @Test
    void endingEarlyIsAnErrorAndSaysSo() {
        ExactLengthInputStream in = new ExactLengthInputStream(new ByteArrayInputStream(new byte[] {1, 2}), 3);
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        assertTrue(e.getMessage().contains("2 of 3"), e.getMessage());
        assertTrue(in.truncated());
    }

    @Test
    void aConnectionThatBreaksIsATruncationToo() {
        ExactLengthInputStream in = new ExactLengthInputStream(new java.io.InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("socket closed");
            }
        }, 3);
        assertThrows(IOException.class, in::read);
        assertTrue(in.truncated());
    }
}
