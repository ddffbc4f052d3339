package io.kchat.gateway.messages;

/**
 * One attachment as a client names it in a send: its upload, the file name to show (already sanitised) and, for audio,
 * its duration. What the file is (type, size, dimensions) comes from the media row, never from the client.
 *
 * @param name       null when none was given or nothing was left of it after sanitising
 * @param durationMs null unless the client gave one (then 1 to 24 hours in ms)
 */
public record AttachmentRequest(String mediaId, String name, Long durationMs) {
}
