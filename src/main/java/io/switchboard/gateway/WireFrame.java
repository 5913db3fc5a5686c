package io.switchboard.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A text frame over already-serialised bytes. The public API builds text frames only from a String,
 * which would decode and re-encode every event once per socket; Vert.x' heap buffers are safe to
 * write many times, so the same bytes go to every recipient.
 */
final class WireFrame {
    private WireFrame() {
    }

    static WebSocketFrame text(Buffer utf8Json) {
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) utf8Json).getByteBuf(), true);
    }
}
