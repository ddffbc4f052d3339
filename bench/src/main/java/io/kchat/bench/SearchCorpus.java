package io.kchat.bench;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chat-like message bodies for the search bench, the same for the same seed: words drawn with Zipf's law (the
 * word of rank r about 1/r as often as the first) from a vocabulary of everyday English words first, then made-up
 * words built of syllables, with accented words (café, déjà...) at middling ranks and a few set phrases
 * ("happy birthday") now and then. Each message is 3 to 20 words.
 */
final class SearchCorpus {

    static final List<String> COMMON = List.of("the", "you", "i", "to", "a", "and", "it", "is", "that", "we", "in",
            "for", "on", "my", "me", "ok", "yes", "no", "what", "so", "just", "be", "at", "this", "have", "can", "see",
            "will", "do", "not", "with", "are", "was", "but", "all", "tomorrow", "today", "good", "now", "how", "time",
            "get", "know", "go", "like", "going", "think", "about", "back", "call", "happy", "birthday", "later",
            "way", "sounds", "thanks", "meeting", "lunch", "coffee", "home");
    /** Each placed at rank {@link #ACCENTED_FIRST_RANK} + 50 k: seen in a few hundred messages of 100,000. */
    static final List<String> ACCENTED = List.of("café", "déjà", "naïve", "résumé", "crème", "über", "señor",
            "façade", "jalapeño", "smörgåsbord", "fiancée", "piñata", "entrée", "rosé", "garçon");
    static final List<String> PHRASES = List.of("happy birthday", "see you tomorrow", "on my way", "sounds good",
            "call me later");
    static final int ACCENTED_FIRST_RANK = 150;
    private static final String[] ONSETS = {"b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
        "br", "ch", "dr", "fl", "gr", "kl", "pl", "sh", "st", "tr"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ou", "ea"};
    private static final double PHRASE_CHANCE = 0.02;

    private final List<String> vocabulary;
    private final double[] cumulative;
    private final SplittableRandom random;

    SearchCorpus(int vocabularySize, long seed) {
        this.vocabulary = vocabulary(vocabularySize, new SplittableRandom(seed));
        this.cumulative = new double[vocabulary.size()];
        double sum = 0;
        for (int rank = 1; rank <= cumulative.length; rank++) {
            sum += 1.0 / rank;
            cumulative[rank - 1] = sum;
        }
        this.random = new SplittableRandom(seed + 1);
    }

    List<String> vocabulary() {
        return vocabulary;
    }

    String nextMessage() {
        int words = 3 + random.nextInt(18);
        StringBuilder body = new StringBuilder();
        int phraseAt = random.nextDouble() < PHRASE_CHANCE ? random.nextInt(words) : -1;
        for (int i = 0; i < words; i++) {
            if (!body.isEmpty()) {
                body.append(' ');
            }
            body.append(i == phraseAt ? PHRASES.get(random.nextInt(PHRASES.size())) : nextWord());
        }
        return body.toString();
    }

    private String nextWord() {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] < target) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return vocabulary.get(low);
    }

    /** Rank order: the common words, then made-up ones, with the accented words slotted in. */
    private static List<String> vocabulary(int size, SplittableRandom random) {
        List<String> words = new ArrayList<>(COMMON);
        Set<String> taken = new HashSet<>(COMMON);
        // a made-up word must not be an accented one with its accents folded either
        ACCENTED.forEach(word -> taken.add(Normalizer.normalize(word, Normalizer.Form.NFD).replaceAll("\\p{M}", "")));
        taken.addAll(ACCENTED);
        int nextAccented = 0;
        while (words.size() < size) {
            if (nextAccented < ACCENTED.size() && words.size() + 1 == ACCENTED_FIRST_RANK + 50 * nextAccented) {
                words.add(ACCENTED.get(nextAccented++));
                continue;
            }
            String word = madeUp(random);
            if (taken.add(word)) {
                words.add(word);
            }
        }
        return List.copyOf(words);
    }

    private static String madeUp(SplittableRandom random) {
        StringBuilder word = new StringBuilder();
        int syllables = 2 + random.nextInt(3);
        for (int i = 0; i < syllables; i++) {
            word.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
        }
        return word.toString();
    }
}
