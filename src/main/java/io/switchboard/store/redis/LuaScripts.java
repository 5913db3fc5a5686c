package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from {@code src/main/resources/redis}, run by its SHA (EVALSHA) and sent whole only
 * when Redis does not know it yet (first use, or after a Redis restart).
 */
final class LuaScripts {
    private final String source;
    private final String sha;

    private LuaScripts(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    static LuaScripts load(String name) {
        try (InputStream in = LuaScripts.class.getResourceAsStream("/redis/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing Redis script " + name);
            }
            return new LuaScripts(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Future<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
                .recover(t -> String.valueOf(t.getMessage()).contains("NOSCRIPT")
                        ? redis.send(request(Command.EVAL, source, keys, args))
                        : Future.failedFuture(t));
    }

    private static Request request(Command cmd, String script, List<String> keys, List<String> args) {
        Request r = Request.cmd(cmd).arg(script).arg(keys.size());
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
