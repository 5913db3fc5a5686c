package io.switchboard.service;

import io.switchboard.domain.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Agent tokens: HS256 JWTs whose subject is the agent id, with an expiry. The signing key comes
 * from the configuration or is generated once into the data directory and kept there, so tokens
 * survive restarts.
 */
public final class Tokens {
    private static final Logger LOG = LoggerFactory.getLogger(Tokens.class);

    private final JWTAuth jwt;
    private final int ttlSeconds;

    public Tokens(Vertx vertx, String secret, int ttlSeconds) {
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
        this.ttlSeconds = ttlSeconds;
    }

    public String issue(String agentId) {
        return jwt.generateToken(new JsonObject().put("sub", agentId),
                new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds));
    }

    /** The agent id of a valid, unexpired token; {@code unauthorized} otherwise. */
    public Future<String> verify(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(Failure.unauthorized("a token is required"));
        }
        return jwt.authenticate(new TokenCredentials(token))
                .map(user -> user.principal().getString("sub"))
                .recover(t -> Future.failedFuture(Failure.unauthorized("invalid or expired token")))
                .compose(sub -> sub == null
                        ? Future.failedFuture(Failure.unauthorized("invalid token")) : Future.succeededFuture(sub));
    }

    /** The configured key, or the one kept in {@code dataDir/jwt.key} (generated on first start). Blocking. */
    public static String secret(String configured, Path dataDir) {
        if (configured != null) {
            return configured;
        }
        Path file = dataDir.resolve("jwt.key");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(dataDir);
            byte[] raw = new byte[48];
            new SecureRandom().nextBytes(raw);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Files.writeString(file, key);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's own protection applies
            }
            LOG.info("generated a new token signing key in {}", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
