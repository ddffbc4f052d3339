package io.kchat.assistant.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    @Test
    void nothingToCommitBeforeAnythingIsRead() {
        assertEquals(OptionalLong.empty(), new PartitionProgress().toCommit());
    }

    @Test
    void recordsThatAreNoQuestionsAreCommittedAtOnce() {
        PartitionProgress progress = new PartitionProgress();
        progress.add(10, false);
        progress.add(11, false);

        assertEquals(OptionalLong.of(12), progress.toCommit());
    }

    @Test
    void neverPassesAnUnansweredQuestionHoweverManyLaterOnesAreAnswered() {
        PartitionProgress progress = new PartitionProgress();
        progress.add(4, false);
        progress.add(5, true);
        progress.add(6, false);
        progress.add(7, true);
        progress.add(8, true);

        assertEquals(OptionalLong.of(5), progress.toCommit());
        progress.complete(7);
        progress.complete(8);
        assertEquals(OptionalLong.of(5), progress.toCommit());
        assertEquals(1, progress.unanswered());

        progress.complete(5);
        assertEquals(OptionalLong.of(9), progress.toCommit());
        assertEquals(0, progress.unanswered());
    }

    @Test
    void theWatermarkStopsAtTheFirstOfSeveralUnansweredQuestions() {
        PartitionProgress progress = new PartitionProgress();
        progress.add(1, true);
        progress.add(2, true);
        progress.add(3, true);
        progress.complete(1);

        assertEquals(OptionalLong.of(2), progress.toCommit());
        progress.complete(3);
        assertEquals(OptionalLong.of(2), progress.toCommit());
    }

    @Test
    void offersAnOffsetOnlyWhenItMovedPastTheLastCommit() {
        PartitionProgress progress = new PartitionProgress();
        progress.add(1, true);
        progress.add(2, false);
        progress.committed(1);

        assertEquals(OptionalLong.empty(), progress.toCommit());
        progress.complete(1);
        assertEquals(OptionalLong.of(3), progress.toCommit());
        progress.committed(3);
        assertEquals(OptionalLong.empty(), progress.toCommit());
        // an answer of a question already dropped from the watermark changes nothing
        progress.complete(99);
        assertEquals(OptionalLong.empty(), progress.toCommit());
    }
}
