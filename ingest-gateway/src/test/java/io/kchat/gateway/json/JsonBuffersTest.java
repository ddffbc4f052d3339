package io.kchat.gateway.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Jackson's buffers come from one shared pool, not from each thread: a socket's thread keeps none (issue 6). */
class JsonBuffersTest {

    @Test
    void theMapperTakesItsBuffersFromTheSharedPoolNotFromItsThread() throws Exception {
        ObjectMapper mapper = Json.mapper();

        assertSame(Json.buffers(), mapper.getFactory()._getRecyclerPool());
        assertNotSame(JsonRecyclerPools.threadLocalPool(), Json.buffers());
        // still parses, on a virtual thread as the webserver's connections do
        int[] value = new int[1];
        Thread.ofVirtual().start(() -> value[0] = readA(mapper)).join();
        assertEquals(1, value[0]);
    }

    private static int readA(ObjectMapper mapper) {
        try {
            return mapper.readTree("{\"a\":1}").get("a").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
