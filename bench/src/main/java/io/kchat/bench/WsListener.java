package io.kchat.bench;

/** Receives the frames of one {@link WsConnection}, on that connection's event-loop thread. */
interface WsListener {

    /** A whole text frame (fragments already joined), stamped when it was decoded. */
    void onText(WsConnection connection, long arrivedNanos, String text);

    /** The socket closed: by a close frame ({@code status} as sent), or without one (1006). */
    void onClosed(WsConnection connection, int status, String reason);
}
