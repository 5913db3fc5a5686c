package io.switchboard.boot;

import io.switchboard.store.pg.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;

/**
 * The key that signs agent tokens: the configured one, or one generated once and kept both in the
 * data directory and in Postgres, so that every node of a deployment signs and accepts the same
 * tokens. Blocking: start-up only.
 */
final class SigningKey {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);
    private static final String NAME = "jwt";

    private SigningKey() {
    }

    static String resolve(String configured, Path dataDir, String pgUrl) {
        if (configured != null) {
            return configured;
        }
        Path file = dataDir.resolve("jwt.key");
        try (Connection c = Jdbc.connect(pgUrl)) {
            String shared = read(c);
            if (shared == null) {
                String candidate = Files.exists(file) ? Files.readString(file).trim() : generate();
                try (var st = c.prepareStatement("insert into secrets (name, value) values (?, ?) on conflict do nothing")) {
                    st.setString(1, NAME);
                    st.setString(2, candidate);
                    st.executeUpdate();
                }
                shared = read(c); // another node may have stored its key first
            }
            if (!Files.exists(file) || !Files.readString(file).trim().equals(shared)) {
                keep(file, shared);
            }
            return shared;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or store the token signing key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static String read(Connection c) throws SQLException {
        try (var st = c.prepareStatement("select value from secrets where name = ?")) {
            st.setString(1, NAME);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String generate() {
        byte[] raw = new byte[48];
        new SecureRandom().nextBytes(raw);
        LOG.info("generated a new token signing key");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static void keep(Path file, String key) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, key);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's own protection applies
        }
    }
}
