package io.switchboard.service;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashing and checking, always on a worker thread: a hash costs tens of milliseconds and
 * must never run on an event loop.
 */
public final class Passwords {
    private static final int COST = 10;
    /** Checked against when the e-mail is unknown, so that the answer takes as long either way. */
    private static final String DECOY = BCrypt.withDefaults().hashToString(COST, "decoy-password".toCharArray());

    private final Vertx vertx;

    public Passwords(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<String> hash(String password) {
        return vertx.executeBlocking(() -> BCrypt.withDefaults().hashToString(COST, password.toCharArray()), false);
    }

    /** Checks a password against a hash (null: the decoy, always false). */
    public Future<Boolean> check(String password, String hash) {
        return vertx.executeBlocking(() -> {
            boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                    (hash == null ? DECOY : hash).getBytes(StandardCharsets.UTF_8)).verified;
            return ok && hash != null;
        }, false);
    }

    /** Blocking: for the seeder at start-up only. */
    public static String hashNow(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }
}
