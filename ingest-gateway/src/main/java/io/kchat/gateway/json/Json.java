package io.kchat.gateway.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the gateway: ISO-8601 timestamps, no nulls on the wire, strict on duplicates,
 * and read limits that hold whatever the caller bounded before parsing. Our documents are flat objects of ids,
 * short strings and small numbers; a document over any limit fails with a
 * {@link com.fasterxml.jackson.core.exc.StreamConstraintsException} (a {@code JsonProcessingException}), which the
 * edges answer like any malformed JSON.
 */
public final class Json {

    /** Objects and arrays nested deeper than this are refused: no document of ours nests beyond a few levels. */
    public static final int MAX_NESTING_DEPTH = 32;
    /**
     * Characters of one string value: the REST body limit, above any message body (16K code points by default), and
     * a quarter of the document limit so that each limit can be met on its own.
     */
    public static final int MAX_STRING_CHARS = 256 * 1024;
    /** Characters of one number: a long has 19 digits, a double's text fits too. */
    public static final int MAX_NUMBER_CHARS = 32;
    /** Characters of one property name: ours are short words. */
    public static final int MAX_NAME_CHARS = 1024;
    /**
     * Bytes (or chars) of one streamed document. Jackson checks it where it loads more input, so a String or byte[]
     * (one block) is not checked: the edges bound those before parsing (frame limit, REST body limit).
     */
    public static final long MAX_DOCUMENT_LENGTH = 1024 * 1024;

    private Json() {
    }

    public static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(readConstraints()).recyclerPool(buffers())
                .build();
        return new ObjectMapper(factory)
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * Where parsers and generators take their buffers (8 KB of char[] to parse a String). Jackson's default keeps them
     * per thread, and the webserver runs each connection on its own virtual thread, which lives as long as the
     * WebSocket: every socket would keep the buffers of the one token it parsed at the upgrade (issue 6, memory per
     * idle connection). This pool is shared by every thread and keeps at most a hundred.
     */
    public static RecyclerPool<BufferRecycler> buffers() {
        return JsonRecyclerPools.sharedBoundedPool();
    }

    static StreamReadConstraints readConstraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_CHARS)
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxNameLength(MAX_NAME_CHARS)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build();
    }
}
