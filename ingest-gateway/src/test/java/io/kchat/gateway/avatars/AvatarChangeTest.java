package io.kchat.gateway.avatars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three meanings of a PATCH's avatarMediaId, as a request record reads them. */
class AvatarChangeTest {

    record Patch(String title, AvatarChange avatarMediaId) {
    }

    private final ObjectMapper mapper = Json.mapper();

    @Test
    void anAbsentFieldKeepsTheAvatar() throws Exception {
        assertNull(mapper.readValue("{\"title\":\"t\"}", Patch.class).avatarMediaId());
    }

    @Test
    void nullRemovesIt() throws Exception {
        AvatarChange change = mapper.readValue("{\"avatarMediaId\":null}", Patch.class).avatarMediaId();
        assertSame(AvatarChange.CLEAR, change);
        assertTrue(change.clears());
    }

    @Test
    void aStringSetsIt() throws Exception {
        assertEquals(AvatarChange.to("m-1"), mapper.readValue("{\"avatarMediaId\":\"m-1\"}", Patch.class).avatarMediaId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "{}", "[\"m-1\"]"})
    void anythingElseIsTheWrongTypeForThatField(String value) {
        JsonMappingException e = assertThrows(JsonMappingException.class,
                () -> mapper.readValue("{\"avatarMediaId\":" + value + "}", Patch.class));
        assertEquals("avatarMediaId", e.getPath().getFirst().getFieldName());
    }
}
