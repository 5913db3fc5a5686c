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

    /** An id from a client as a UUID, or empty when it cannot be one (so it names nothing). */
    public static java.util.Optional<UUID> parse(String id) {
        if (id == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
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
