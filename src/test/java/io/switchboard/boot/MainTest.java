package io.switchboard.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Outcome run(Map<String, String> env, String... args) {
        return Main.prepare(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheOptionsAndTheMainVariables() {
        assertThat(run(Map.of(), "--help").exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config PATH").contains("--version")
                .contains("SWITCHBOARD_PG_URL").contains("conf/switchboard.yaml");
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(run(Map.of(), "--version").exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("switchboard ");
    }

    @Test
    void aConfigFileWithAMisspeltKeyAndANegativePortRefusesToStartNamingBoth(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http:\n  port: -80\nredis:\n  keyPrefx: \"x:\"\n");
        Main.Outcome o = run(Map.of(), "--config", file.toString());
        assertThat(o.exitCode()).isEqualTo(Main.BAD_USAGE);
        assertThat(o.config()).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("redis.keyPrefx").contains("http.port").contains("-80");
    }

    @Test
    void unknownOptionsAndMissingFilesAreRefused() {
        assertThat(run(Map.of(), "--verbose").exitCode()).isEqualTo(Main.BAD_USAGE);
        assertThat(run(Map.of(), "--config", "/no/such/file.yaml").exitCode()).isEqualTo(Main.BAD_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--verbose").contains("/no/such/file.yaml");
    }

    @Test
    void serverUrlsAreLoggedWithoutTheirPassword() {
        assertThat(Switchboard.redacted("postgresql://sb:s3cret@db:5432/sb")).isEqualTo("postgresql://sb:***@db:5432/sb");
        assertThat(Switchboard.redacted("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(Switchboard.redacted(null)).isEqualTo("embedded");
    }
}
