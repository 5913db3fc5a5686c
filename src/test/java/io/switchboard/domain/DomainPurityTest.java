package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The domain is plain Java: its rules run and are tested without Vert.x, Netty, Jackson or a database. */
class DomainPurityTest {

    @Test
    void theDomainImportsNoFrameworkAndNoOtherLayer() throws IOException {
        Path dir = Path.of("src/main/java/io/switchboard/domain");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> offending = files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream()
                            .filter(l -> l.startsWith("import "))
                            .filter(l -> !l.startsWith("import java.") && !l.startsWith("import static java.")
                                    && !l.startsWith("import io.switchboard.domain."))
                            .map(l -> f.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(offending).isEmpty();
        }
    }
}
