package io.switchboard.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** File names from clients lose directories and control characters, are bounded, and are never empty. */
class AttachmentNamesTest {
    @Test
    void directoriesAreStripped() {
        assertThat(AttachmentService.safeName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(AttachmentService.safeName("C:\\Users\\me\\report.pdf")).isEqualTo("report.pdf");
        assertThat(AttachmentService.safeName("/abs/path/")).isEqualTo("file");
    }

    @Test
    void controlAndInvisibleFormattingCharactersAreRemoved() {
        assertThat(AttachmentService.safeName("a\u0000b\r\n\tc.txt")).isEqualTo("abc.txt");
        // RIGHT-TO-LEFT OVERRIDE would show "invoice_fdp.exe" as "invoice_exe.pdf"
        assertThat(AttachmentService.safeName("invoice_\u202Efdp.exe")).isEqualTo("invoice_fdp.exe");
    }

    @Test
    void unicodeNamesAreKept() {
        assertThat(AttachmentService.safeName("Grüße 東京 🙂.png")).isEqualTo("Grüße 東京 🙂.png");
    }

    @Test
    void namesAreAtMost200CharactersWithoutSplittingACharacter() {
        assertThat(AttachmentService.safeName("x".repeat(500))).hasSize(200);
        String emoji = "🙂".repeat(300);
        String safe = AttachmentService.safeName(emoji);
        assertThat(safe.codePointCount(0, safe.length())).isEqualTo(200);
        assertThat(safe).isEqualTo("🙂".repeat(200));
    }

    @Test
    void nothingLeftMeansFile() {
        assertThat(AttachmentService.safeName(null)).isEqualTo("file");
        assertThat(AttachmentService.safeName("")).isEqualTo("file");
        assertThat(AttachmentService.safeName("  \u0001 ")).isEqualTo("file");
        assertThat(AttachmentService.safeName("..")).isEqualTo("file");
    }
}
