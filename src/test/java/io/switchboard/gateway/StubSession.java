package io.switchboard.gateway;

import io.switchboard.metrics.Metrics;
import io.switchboard.protocol.Decoded;
import io.switchboard.protocol.FrameDecoder;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/** A session with no services behind it, for tests of what every socket does: each command is acked empty. */
final class StubSession extends Session {
    private final Runnable onCommand;

    /** @param onCommand run for each command handled */
    StubSession(ServerWebSocket ws, Runnable onCommand) {
        super("s1", ws, new FrameDecoder(FrameDecoder.Role.CUSTOMER, 10_000), new Metrics(),
                new RateLimit(1000, 1000, System.currentTimeMillis()), 64 * 1024);
        this.onCommand = onCommand;
    }

    @Override
    String agentId() {
        return null;
    }

    @Override
    Future<JsonObject> handle(Decoded frame) {
        onCommand.run();
        return Future.succeededFuture(new JsonObject());
    }

    @Override
    String describe() {
        return "test socket";
    }
}
