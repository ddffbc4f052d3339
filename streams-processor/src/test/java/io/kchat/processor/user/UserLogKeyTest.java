package io.kchat.processor.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The log store's key layout is persisted in RocksDB and the changelog: it must not drift. */
class UserLogKeyTest {

    @Test
    void userIdThenNulThenTheUserSeqZeroPaddedToNineteenDigits() {
        assertEquals("u1\u00000000000000000000000", UserLog.key("u1", 0));
        assertEquals("u1\u00000000000000000000042", UserLog.key("u1", 42));
        assertEquals("alice\u00009223372036854775807", UserLog.key("alice", Long.MAX_VALUE));
        assertEquals("\u00000000000001000000000", UserLog.key("", 1_000_000_000L));
    }

    @Test
    void keysOfOneUserSortAsTheirUserSeqs() {
        assertTrue(UserLog.key("u1", 9).compareTo(UserLog.key("u1", 10)) < 0);
        assertTrue(UserLog.key("u1", 99_999).compareTo(UserLog.key("u1", 100_000)) < 0);
        // a user's range never reaches into another user whose id extends it
        assertTrue(UserLog.key("u1", Long.MAX_VALUE).compareTo(UserLog.key("u10", 0)) < 0);
    }

    @Test
    void aNegativeUserSeqHasNoKey() {
        assertThrows(IllegalArgumentException.class, () -> UserLog.key("u1", -1));
    }
}
