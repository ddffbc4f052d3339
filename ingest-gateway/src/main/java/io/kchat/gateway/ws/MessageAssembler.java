package io.kchat.gateway.ws;

import java.nio.charset.StandardCharsets;

/**
 * Joins the fragments of one client message. Helidon bounds each frame; this bounds the whole message, which
 * a client could otherwise grow without limit through continuation frames. Used by one connection thread.
 */
final class MessageAssembler {

    private final int maxBytes;
    private final StringBuilder fragments = new StringBuilder();
    private int bytes;

    MessageAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @return the whole message once {@code last}, else null
     * @throws MessageTooLargeException when the message outgrew the limit (the fragments are dropped)
     */
    String append(String fragment, boolean last) throws MessageTooLargeException {
        bytes += fragment.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            reset();
            throw new MessageTooLargeException();
        }
        if (!last) {
            fragments.append(fragment);
            return null;
        }
        String message = fragments.isEmpty() ? fragment : fragments.append(fragment).toString();
        reset();
        return message;
    }

    private void reset() {
        fragments.setLength(0);
        bytes = 0;
    }

    static final class MessageTooLargeException extends Exception {
        MessageTooLargeException() {
            super("message too large");
        }
    }
}
