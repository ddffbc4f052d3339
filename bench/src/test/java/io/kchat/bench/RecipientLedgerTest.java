package io.kchat.bench;

import static io.kchat.bench.RecipientLedger.Verdict.DUPLICATE;
import static io.kchat.bench.RecipientLedger.Verdict.IN_ORDER;
import static io.kchat.bench.RecipientLedger.Verdict.OUT_OF_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecipientLedgerTest {

    private final RecipientLedger ledger = new RecipientLedger();

    @Test
    void increasingSeqsAreInOrderEvenWithGaps() {
        assertEquals(IN_ORDER, ledger.accept("c1", 1, 10));
        assertEquals(IN_ORDER, ledger.accept("c1", 2, 11));
        assertEquals(IN_ORDER, ledger.accept("c1", 5, 12));
    }

    @Test
    void theSameSeqTwiceIsADuplicateWhateverItsUserSeq() {
        ledger.accept("c1", 1, 10);
        assertEquals(DUPLICATE, ledger.accept("c1", 1, 10));
        assertEquals(DUPLICATE, ledger.accept("c1", 1, 11));
    }

    @Test
    void theSameUserSeqTwiceIsADuplicateEvenUnderAnotherConversation() {
        ledger.accept("c1", 1, 10);
        assertEquals(DUPLICATE, ledger.accept("c2", 1, 10));
    }

    @Test
    void aSeqBelowOneAlreadyReceivedIsOutOfOrderButNotADuplicate() {
        ledger.accept("c1", 1, 10);
        ledger.accept("c1", 3, 11);
        assertEquals(OUT_OF_ORDER, ledger.accept("c1", 2, 12));
        assertEquals(DUPLICATE, ledger.accept("c1", 2, 13));
        assertEquals(IN_ORDER, ledger.accept("c1", 4, 14));
    }

    @Test
    void conversationsAreOrderedIndependently() {
        ledger.accept("c1", 5, 1);
        assertEquals(IN_ORDER, ledger.accept("c2", 1, 2));
        assertEquals(IN_ORDER, ledger.accept("c2", 2, 3));
    }

    @Test
    void withoutUserSeqsOnlyConversationSeqsAreChecked() {
        assertEquals(IN_ORDER, ledger.accept("c1", 1, RecipientLedger.NO_USER_SEQ));
        assertEquals(IN_ORDER, ledger.accept("c2", 1, RecipientLedger.NO_USER_SEQ));
        assertEquals(DUPLICATE, ledger.accept("c1", 1, RecipientLedger.NO_USER_SEQ));
    }
}
