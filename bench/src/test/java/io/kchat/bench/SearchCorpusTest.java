package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SearchCorpusTest {

    @Test
    void theSameSeedWritesTheSameMessages() {
        assertEquals(messages(new SearchCorpus(5_000, 7), 50), messages(new SearchCorpus(5_000, 7), 50));
        assertNotEquals(messages(new SearchCorpus(5_000, 7), 50), messages(new SearchCorpus(5_000, 8), 50));
    }

    @Test
    void theVocabularyIsDistinctWordsWithTheAccentedOnesAtTheirRanks() {
        List<String> vocabulary = new SearchCorpus(5_000, 1).vocabulary();
        assertEquals(5_000, vocabulary.size());
        assertEquals(5_000, new HashSet<>(vocabulary).size());
        assertEquals("the", vocabulary.getFirst());
        assertEquals("café", vocabulary.get(SearchCorpus.ACCENTED_FIRST_RANK - 1));
        assertEquals("déjà", vocabulary.get(SearchCorpus.ACCENTED_FIRST_RANK + 49));
        assertTrue(!vocabulary.contains("cafe") && !vocabulary.contains("deja"), "no made-up word folds into one");
    }

    @Test
    void wordsFollowZipfAndMessagesAreThreeToTwentyWordsLong() {
        SearchCorpus corpus = new SearchCorpus(20_000, 3);
        Map<String, Integer> counts = new HashMap<>();
        int phrases = 0;
        for (String message : messages(corpus, 20_000)) {
            int words = message.split(" ").length;
            boolean phrase = SearchCorpus.PHRASES.stream().anyMatch(message::contains);
            assertTrue(words >= 3 && words <= 20 + (phrase ? 2 : 0), message);
            phrases += message.contains("happy birthday") ? 1 : 0;
            for (String word : message.split(" ")) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        int first = counts.get("the");
        int tenth = counts.get(new SearchCorpus(20_000, 3).vocabulary().get(9));
        // rank 1 about ten times rank 10: generous bounds, the draw is random
        assertTrue(first > 7 * tenth && first < 13 * tenth, first + " against " + tenth);
        assertTrue(counts.getOrDefault("café", 0) > 50, "café is seen: " + counts.get("café"));
        assertTrue(phrases > 40 && phrases < 130, "about 0.4 % of messages say happy birthday: " + phrases);
    }

    private static List<String> messages(SearchCorpus corpus, int count) {
        return IntStream.range(0, count).mapToObj(i -> corpus.nextMessage()).toList();
    }
}
