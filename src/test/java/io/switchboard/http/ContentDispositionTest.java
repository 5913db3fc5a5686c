package io.switchboard.http;

import io.switchboard.domain.Attachment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Downloads name their file per RFC 8187; only images, video and audio are shown inline. */
class ContentDispositionTest {
    private static Attachment file(String name, String type) {
        return new Attachment("00000000-0000-0000-0000-000000000001", "w", "agent", "u", null, name, type, 1, "00/x");
    }

    @Test
    void mediaIsInlineEverythingElseIsAnAttachment() {
        assertThat(AttachmentRoutes.disposition(file("a.png", "image/png"))).isEqualTo("inline; filename*=UTF-8''a.png");
        assertThat(AttachmentRoutes.disposition(file("a.mp4", "video/mp4"))).startsWith("inline;");
        assertThat(AttachmentRoutes.disposition(file("a.mp3", "audio/mpeg"))).startsWith("inline;");
        assertThat(AttachmentRoutes.disposition(file("a.txt", "text/plain"))).isEqualTo("attachment; filename*=UTF-8''a.txt");
        assertThat(AttachmentRoutes.disposition(file("a.pdf", "application/pdf"))).startsWith("attachment;");
    }

    @Test
    void namesArePercentEncodedUtf8() {
        assertThat(AttachmentRoutes.encode("notes ü.txt")).isEqualTo("notes%20%C3%BC.txt");
        assertThat(AttachmentRoutes.encode("a\"b;c'd%e,f")).isEqualTo("a%22b%3Bc%27d%25e%2Cf");
        assertThat(AttachmentRoutes.encode("ok-_.~!#$&+^`|")).isEqualTo("ok-_.~!#$&+^`|");
    }
}
