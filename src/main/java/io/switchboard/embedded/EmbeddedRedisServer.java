package io.switchboard.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;


/**
 * A real Redis from the binary Maven ships (org.signal:embedded-redis), loopback only and without
 * persistence: Redis holds only what can be rebuilt from Postgres and the live sockets.
 */
public final class EmbeddedRedisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedisServer start() {
        return start(FreePort.find());
    }

    /** Starts Redis on a given port (a restart on the same address). */
    public static EmbeddedRedisServer start(int port) {
        RedisServer server = RedisServer.builder()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxclients 10000")
                .build();
        server.start();
        LOG.info("embedded Redis started on 127.0.0.1:{}", port);
        return new EmbeddedRedisServer(server, port);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stop();
        LOG.info("embedded Redis stopped");
    }
}
