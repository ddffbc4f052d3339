package io.kchat.gateway.search;

import io.kchat.gateway.errors.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where a page of results stopped: the last result's place in the order of search, (ts, conversationId, seq)
 * descending. Clients see it as an opaque token (base64url of {@code micros:seq:conversationId}), the {@code next} of
 * one page and the {@code before} of the following one; a page holds the results strictly after it in that order.
 */
public record SearchCursor(Instant ts, String conversationId, long seq) {

    /** Longer than any token this class writes; a longer one is refused before it is decoded. */
    static final int MAX_TOKEN_CHARS = 256;
    /** PostgreSQL stores microseconds; bounded so that a forged cursor can never be out of timestamptz's range. */
    private static final long MAX_MICROS =
            ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"));

    static SearchCursor after(SearchHit hit) {
        return new SearchCursor(hit.message().ts(), hit.message().conversationId(), hit.message().seq());
    }

    String token() {
        String text = ChronoUnit.MICROS.between(Instant.EPOCH, ts) + ":" + seq + ":" + conversationId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws Refusal 400 for anything this class did not write */
    static SearchCursor parse(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw malformed();
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(token))).toString();
            String[] parts = text.split(":", 3);
            if (parts.length != 3) {
                throw malformed();
            }
            long micros = Long.parseLong(parts[0]);
            long seq = Long.parseLong(parts[1]);
            String conversationId = parts[2];
            if (micros < 0 || micros > MAX_MICROS || seq < 0 || conversationId.isEmpty()
                    || conversationId.chars().anyMatch(Character::isISOControl)) {
                throw malformed();
            }
            return new SearchCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), conversationId, seq);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // NumberFormatException is an IllegalArgumentException, as is Base64's refusal
            throw malformed();
        }
    }

    private static Refusal malformed() {
        return Refusal.invalid("invalid before", "before must be the next of an earlier page of results");
    }
}
