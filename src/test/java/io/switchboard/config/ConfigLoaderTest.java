package io.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void withNothingGivenEverythingHasItsDocumentedDefaultAndTheServersAreEmbedded() {
        Config c = ConfigLoader.load(null, Map.of());
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.maxFrameBytes()).isEqualTo(65536);
        assertThat(c.embeddedPostgres()).isTrue();
        assertThat(c.embeddedRedis()).isTrue();
        assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(c.presenceGraceSeconds()).isEqualTo(30);
        assertThat(c.realertSeconds()).isEqualTo(60);
        assertThat(c.inviteTtlSeconds()).isEqualTo(120);
        assertThat(c.maxUploadBytes()).isEqualTo(26214400L);
    }

    @Test
    void theShippedConfigurationFileIsValidAndMatchesTheDefaults() {
        assertThat(ConfigLoader.load(Path.of("conf/switchboard.yaml"), Map.of()))
                .isEqualTo(ConfigLoader.load(null, Map.of()));
    }

    @Test
    void environmentVariablesOverrideTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "http:\n  port: 9000\npostgres:\n  url: postgresql://u:p@db:5432/sb\n");
        Config c = ConfigLoader.load(file, Map.of("SWITCHBOARD_HTTP_PORT", "9100", "SWITCHBOARD_REDIS_URL", "redis://r:6379"));
        assertThat(c.httpPort()).isEqualTo(9100);
        assertThat(c.pgUrl()).isEqualTo("postgresql://u:p@db:5432/sb");
        assertThat(c.redisUrl()).isEqualTo("redis://r:6379");
        assertThat(c.embeddedPostgres()).isFalse();
    }

    @Test
    void attachmentsGoUnderTheDataDirectoryUnlessADirectoryIsConfigured() {
        assertThat(ConfigLoader.load(null, Map.of("SWITCHBOARD_DATA_DIR", "/srv/sb")).attachmentsDir())
                .isEqualTo(Path.of("/srv/sb/attachments"));
        assertThat(ConfigLoader.load(null, Map.of("SWITCHBOARD_UPLOADS_DIR", "/mnt/shared/files")).attachmentsDir())
                .isEqualTo(Path.of("/mnt/shared/files"));
    }

    @Test
    void everyProblemIsReportedAtOnce(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http:\n  prot: 8080\n  port: -1\npresence:\n  graceSeconds: soon\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("SWITCHBOARD_REALERT_S", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .hasSize(4)
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'http.prot'"))
                        .anySatisfy(p -> assertThat(p).contains("http.port").contains("-1"))
                        .anySatisfy(p -> assertThat(p).contains("presence.graceSeconds").contains("integer"))
                        .anySatisfy(p -> assertThat(p).contains("SWITCHBOARD_REALERT_S")));
    }
}
