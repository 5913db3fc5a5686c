package io.switchboard.service;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Content types come from magic numbers; text is valid UTF-8 without NULs; anything else is octet-stream. */
class SniffTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void imagesAreRecognisedByTheirSignatures() {
        assertThat(Sniff.contentType(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13))).isEqualTo("image/png");
        assertThat(Sniff.contentType(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'))).isEqualTo("image/jpeg");
        assertThat(Sniff.contentType(ascii("GIF89a\u0001\u0000"))).isEqualTo("image/gif");
        assertThat(Sniff.contentType(ascii("GIF87a\u0001\u0000"))).isEqualTo("image/gif");
        assertThat(Sniff.contentType(ascii("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "))).isEqualTo("image/webp");
    }

    @Test
    void documentsAndArchivesAreRecognised() {
        assertThat(Sniff.contentType(ascii("%PDF-1.7\n%\u00e2\u00e3"))).isEqualTo("application/pdf");
        assertThat(Sniff.contentType(bytes('P', 'K', 3, 4, 20, 0, 0, 0))).isEqualTo("application/zip");
        assertThat(Sniff.contentType(bytes('P', 'K', 5, 6, 0, 0, 0, 0))).isEqualTo("application/zip");
    }

    @Test
    void isoMediaIsTypedByItsMajorBrand() {
        assertThat(Sniff.contentType(concat(bytes(0, 0, 0, 0x20), ascii("ftypisom\u0000\u0000\u0002\u0000")))).isEqualTo("video/mp4");
        assertThat(Sniff.contentType(concat(bytes(0, 0, 0, 0x14), ascii("ftypqt  \u0000\u0000\u0002\u0000")))).isEqualTo("video/quicktime");
        assertThat(Sniff.contentType(concat(bytes(0, 0, 0, 0x20), ascii("ftypM4A \u0000\u0000\u0002\u0000")))).isEqualTo("audio/mp4");
    }

    @Test
    void matroskaIsWebmWhenItsDocTypeSaysSo() {
        byte[] ebml = bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84);
        assertThat(Sniff.contentType(concat(ebml, ascii("webm")))).isEqualTo("video/webm");
        assertThat(Sniff.contentType(concat(ebml, ascii("matroska")))).isEqualTo("video/x-matroska");
    }

    @Test
    void audioIsRecognisedByContainerOrFrameSync() {
        assertThat(Sniff.contentType(ascii("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000"))).isEqualTo("audio/mpeg");
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
        assertThat(Sniff.contentType(bytes(0xFF, 0xFB, 0x90, 0x64, 0, 0, 0))).isEqualTo("audio/mpeg");
        assertThat(Sniff.contentType(ascii("OggS\u0000\u0002\u0000\u0000"))).isEqualTo("audio/ogg");
        assertThat(Sniff.contentType(ascii("RIFF\u0024\u0000\u0000\u0000WAVEfmt "))).isEqualTo("audio/wav");
    }

    @Test
    void aFrameSyncLookalikeWithReservedBitsIsNotMp3() {
        // layer bits 00 (AAC ADTS), and a reserved version: neither is an MP3 frame
        assertThat(Sniff.contentType(bytes(0xFF, 0xF1, 0x50, 0x80, 0, 0))).isEqualTo(Sniff.OCTET_STREAM);
        assertThat(Sniff.contentType(bytes(0xFF, 0xEB, 0x90, 0x64, 0, 0))).isEqualTo(Sniff.OCTET_STREAM);
    }

    @Test
    void validUtf8WithoutNulsIsText() {
        assertThat(Sniff.contentType("hello, world\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
        assertThat(Sniff.contentType("grüße, 東京 🙂".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain");
    }

    @Test
    void nulsOrInvalidUtf8AreOctetStream() {
        assertThat(Sniff.contentType(bytes('a', 'b', 0, 'c'))).isEqualTo(Sniff.OCTET_STREAM);
        assertThat(Sniff.contentType(bytes('a', 0xC3, 0x28))).isEqualTo(Sniff.OCTET_STREAM);
        assertThat(Sniff.contentType(bytes(0xED, 0xA0, 0x80))).as("an encoded surrogate").isEqualTo(Sniff.OCTET_STREAM);
        assertThat(Sniff.contentType(bytes('a', 0xE2, 0x82))).as("cut short at the real end").isEqualTo(Sniff.OCTET_STREAM);
        assertThat(Sniff.contentType(new byte[0])).isEqualTo(Sniff.OCTET_STREAM);
    }

    @Test
    void aMultiByteCharacterCutByTheWindowIsStillText() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] head = new byte[Sniff.HEAD_BYTES];
        Arrays.fill(head, (byte) 'a');
        head[head.length - 2] = euro[0];
        head[head.length - 1] = euro[1];
        assertThat(Sniff.contentType(head, false)).isEqualTo("text/plain");
        assertThat(Sniff.contentType(head, true)).isEqualTo(Sniff.OCTET_STREAM);
    }

    @Test
    void onlyTheFirstBytesMatter() {
        byte[] text = new byte[Sniff.HEAD_BYTES + 10];
        Arrays.fill(text, (byte) 'x');
        text[Sniff.HEAD_BYTES + 5] = 0;
        assertThat(Sniff.contentType(text)).isEqualTo("text/plain");
    }

    @Test
    void theDeclaredExtensionOrShortPrefixesFoolNothing() {
        assertThat(Sniff.contentType(bytes(0x89, 'P', 'N'))).as("a truncated PNG signature").isEqualTo(Sniff.OCTET_STREAM);
        assertThat(Sniff.contentType(ascii("RIFF"))).as("RIFF of no known form").isEqualTo("text/plain");
        assertThat(Sniff.contentType(ascii("<svg onload=alert(1)>"))).as("markup is only text").isEqualTo("text/plain");
    }
}
