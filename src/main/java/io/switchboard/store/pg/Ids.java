package io.switchboard.store.pg;

import io.switchboard.domain.Failure;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Conversions between wire values and column values: ids are UUIDs, times epoch milliseconds. */
public final class Ids {
    private Ids() {
    }

    /** Parses an id from a client; a malformed one cannot name anything, so it is {@code not_found}. */
    public static UUID uuid(String id, String what) {
        if (id == null) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Failure.notFound("no such " + what);
        }
    }

    public static UUID newId() {
        return UUID.randomUUID();
    }

    public static String str(UUID id) {
        return id == null ? null : id.toString();
    }

    public static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    public static long millis(OffsetDateTime t) {
        return t == null ? 0 : t.toInstant().toEpochMilli();
    }
}
