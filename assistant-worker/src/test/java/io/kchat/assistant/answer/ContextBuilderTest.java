package io.kchat.assistant.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.assistant.model.ChatTurn;
import io.kchat.assistant.model.ChatTurn.Role;
import io.kchat.schemas.AssistantUser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextBuilderTest {

    private static final String ALICE = "alice";

    @Test
    void systemPromptThenEarlierMessagesOldestFirstWithRolesThenTheQuestion() {
        ContextBuilder builder = new ContextBuilder("Be kind.", 20, 12_000);

        List<ChatTurn> turns = builder.turns(List.of(
                new ArchivedMessage(3, AssistantUser.ID, "Paris."),
                new ArchivedMessage(2, ALICE, "Capital of France?"),
                new ArchivedMessage(1, "bob", "hi")), "And of Italy?");

        assertEquals(List.of(
                new ChatTurn(Role.SYSTEM, "Be kind."),
                new ChatTurn(Role.USER, "hi"),
                new ChatTurn(Role.USER, "Capital of France?"),
                new ChatTurn(Role.ASSISTANT, "Paris."),
                new ChatTurn(Role.USER, "And of Italy?")), turns);
    }

    @Test
    void keepsTheNewestMessagesUpToTheMessageBound() {
        ContextBuilder builder = new ContextBuilder("S", 2, 12_000);

        List<ChatTurn> turns = builder.turns(List.of(new ArchivedMessage(3, ALICE, "three"),
                new ArchivedMessage(2, AssistantUser.ID, "two"), new ArchivedMessage(1, ALICE, "one")), "q");

        assertEquals(List.of(new ChatTurn(Role.SYSTEM, "S"), new ChatTurn(Role.ASSISTANT, "two"),
                new ChatTurn(Role.USER, "three"), new ChatTurn(Role.USER, "q")), turns);
    }

    @Test
    void earlierMessagesGetTheCharactersTheQuestionLeavesAndStopAtTheFirstThatDoesNotFit() {
        ContextBuilder builder = new ContextBuilder("S", 20, 10);

        List<ChatTurn> turns = builder.turns(List.of(new ArchivedMessage(4, ALICE, "abc"),
                new ArchivedMessage(3, ALICE, "defgh"), new ArchivedMessage(2, ALICE, "i")), "1234");

        // 4 for the question, 3 for "abc"; "defgh" does not fit the 3 left, and "i" is not taken past the hole
        assertEquals(List.of(new ChatTurn(Role.SYSTEM, "S"), new ChatTurn(Role.USER, "abc"),
                new ChatTurn(Role.USER, "1234")), turns);
    }

    @Test
    void aHugeQuestionIsCutToTheBoundAndLeavesNoRoomForHistory() {
        ContextBuilder builder = new ContextBuilder("S", 20, 5);

        List<ChatTurn> turns = builder.turns(List.of(new ArchivedMessage(1, ALICE, "x")), "abcdefghij");

        assertEquals(List.of(new ChatTurn(Role.SYSTEM, "S"), new ChatTurn(Role.USER, "abcde")), turns);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String question = "abcd\uD83D\uDE00z";

        assertEquals("abcd", ContextBuilder.cut(question, 5));
        assertEquals("abcd\uD83D\uDE00", ContextBuilder.cut(question, 6));
    }

    @Test
    void aBlankSystemPromptIsLeftOut() {
        assertEquals(List.of(new ChatTurn(Role.USER, "q")), new ContextBuilder(" ", 20, 100).turns(List.of(), "q"));
    }
}
