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


/**
 * Agent tokens: HS256 JWTs whose subject is the agent id, with an expiry. The key is given
 * (see {@code boot.SigningKey}: configured, or generated once and shared by the deployment's nodes).
 */
public final class Tokens {
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
}
