package io.switchboard.protocol;

/**
 * The WebSocket close codes the server uses. Clients should reconnect (with backoff) after every
 * code except {@link #POLICY}, which means "stop what you are doing first".
 */
public final class CloseCodes {
    /** The server is shutting down, or the socket was idle too long: reconnect. */
    public static final short GOING_AWAY = 1001;
    /** Repeated abuse: do not reconnect in a loop. */
    public static final short POLICY = 1008;
    /** A frame larger than the limit (64 KiB by default). */
    public static final short TOO_BIG = 1009;
    /** An unexpected server failure: reconnect. */
    public static final short INTERNAL = 1011;
    /** The client read too slowly and its queue filled: reconnect and resume with history. */
    public static final short TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
