package io.switchboard.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Text frames over already-serialised bytes. The public API builds text frames only from a String,
 * which would decode and re-encode every event once per socket; Vert.x' heap buffers are safe to
 * write many times, so the same bytes go to every recipient.
 */
final class WireFrame {
    private WireFrame() {
    }

    /**
     * Writes one text message: one frame, or, when it is longer than {@code maxFrameBytes}, frames of
     * at most that many bytes (the first TEXT, the rest CONTINUATION). The protocol's frame limit
     * holds both ways, and clients may hold the server to it (Vert.x' and Netty's do by default, and
     * closed the socket): an agent's hello lists up to 400 conversations with their last messages, a
     * history page up to 500 messages. A cut may fall inside a character; clients decode the whole.
     */
    static void write(WebSocketBase ws, Buffer utf8Json, int maxFrameBytes) {
        int length = utf8Json.length();
        if (length <= maxFrameBytes) {
            ws.writeFrame(frame(WebSocketFrameType.TEXT, utf8Json, true));
            return;
        }
        for (int from = 0; from < length; from += maxFrameBytes) {
            int to = Math.min(length, from + maxFrameBytes);
            ws.writeFrame(frame(from == 0 ? WebSocketFrameType.TEXT : WebSocketFrameType.CONTINUATION,
                    utf8Json.slice(from, to), to == length));
        }
    }

    private static WebSocketFrameImpl frame(WebSocketFrameType type, Buffer bytes, boolean last) {
        return new WebSocketFrameImpl(type, ((BufferInternal) bytes).getByteBuf(), last);
    }
}
