package io.switchboard.store.pg;

import io.vertx.pgclient.PgException;

/** Postgres error states the stores treat as expected outcomes rather than failures. */
final class PgErrors {
    static final String UNIQUE_VIOLATION = "23505";

    private PgErrors() {
    }

    static boolean isUniqueViolation(Throwable t) {
        return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    static boolean isUniqueViolation(Throwable t, String constraint) {
        return isUniqueViolation(t) && t.getMessage() != null && t.getMessage().contains(constraint);
    }
}
