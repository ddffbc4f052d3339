package io.kchat.gateway.ws;

/** Every code the endpoint closes a socket with, in one table as docs/api.md (Close codes) lists them. */
final class CloseCodes {

    /** The node drains: reconnect, to another node. */
    static final int GOING_AWAY = 1001;
    /** Rate limit exceeded, or an origin allowed only through a proxy that is not trusted. */
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    /** The session could not be opened or kept (directory unreachable, events lost on the way): reconnect. */
    static final int INTERNAL = 1011;
    /** Authentication failed, or the token expired. */
    static final int AUTH_FAILED = 4001;
    static final int AUTH_TIMEOUT = 4002;
    /** Logout, password change, refresh-token reuse. */
    static final int REVOKED = 4003;
    static final int IDLE = 4008;
    /** The same device connected again: its older socket gives way. */
    static final int REPLACED = 4009;
    /** The outbound queue overflowed: the client does not read fast enough. */
    static final int TOO_SLOW = 4010;
    /** One more socket than a user may have on this node. */
    static final int TOO_MANY_CONNECTIONS = 4011;

    private CloseCodes() {
    }
}
