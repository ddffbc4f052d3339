package io.kchat.gateway.media.content;

/** What {@link ContentSniffer} makes of an upload: a content type to store it with, or a refusal (415). */
public sealed interface SniffResult {

    /** @param contentType one of {@link ContentTypes#ALL} */
    record Allowed(String contentType) implements SniffResult {
    }

    /**
     * @param detected what the bytes look like (a media type from magic detection), for logs and the error message
     * @param reason   why it is refused, in words fit for the client
     */
    record Refused(String detected, String reason) implements SniffResult {
    }
}
