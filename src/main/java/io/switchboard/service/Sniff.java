package io.switchboard.service;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The content type of a file, detected from its first bytes (magic numbers), never from what the
 * client declared: a declared type is a claim, the bytes are the fact. Anything unrecognised is
 * {@code text/plain} when its first bytes are valid UTF-8 without NULs, else
 * {@code application/octet-stream}. Pure and thread-safe.
 */
public final class Sniff {
    /** How many leading bytes {@link #contentType} looks at (the text check reads all of them). */
    public static final int HEAD_BYTES = 4096;

    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String TEXT = "text/plain";

    private Sniff() {
    }

    /** The content type of a file given whole (at most {@link #HEAD_BYTES} of it are looked at). */
    public static String contentType(byte[] content) {
        return contentType(content, content.length <= HEAD_BYTES);
    }

    /**
     * The content type of a file from its first bytes.
     *
     * @param head  the first bytes of the file (at most {@link #HEAD_BYTES} are looked at)
     * @param whole whether {@code head} is the whole file; if not, a UTF-8 sequence cut at its end is no error
     */
    public static String contentType(byte[] head, boolean whole) {
        int n = Math.min(head.length, HEAD_BYTES);
        boolean complete = whole && head.length <= HEAD_BYTES;
        if (n == 0) {
            return OCTET_STREAM; // nothing to tell
        }
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(head, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return "image/gif";
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F')) {
            if (startsWith(head, 8, 'W', 'E', 'B', 'P')) {
                return "image/webp";
            }
            if (startsWith(head, 8, 'W', 'A', 'V', 'E')) {
                return "audio/wav";
            }
        }
        if (startsWith(head, 0, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (startsWith(head, 4, 'f', 't', 'y', 'p')) {
            return isoMedia(head);
        }
        if (startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            // EBML: the DocType element names the flavour within the first few dozen bytes.
            return contains(head, Math.min(n, 64), "webm") ? "video/webm" : "video/x-matroska";
        }
        if (startsWith(head, 0, 'O', 'g', 'g', 'S')) {
            return "audio/ogg";
        }
        if (startsWith(head, 0, 'I', 'D', '3') || isMpegAudioFrame(head)) {
            return "audio/mpeg";
        }
        if (startsWith(head, 0, 'P', 'K', 3, 4) || startsWith(head, 0, 'P', 'K', 5, 6) || startsWith(head, 0, 'P', 'K', 7, 8)) {
            return "application/zip";
        }
        return isUtf8Text(head, n, complete) ? TEXT : OCTET_STREAM;
    }

    /** ISO base media (ftyp box): the major brand tells QuickTime, audio-only MP4, HEIF/AVIF images from MP4 video. */
    private static String isoMedia(byte[] head) {
        if (head.length < 12) {
            return "video/mp4";
        }
        String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "qt  " -> "video/quicktime";
            case "M4A ", "M4B " -> "audio/mp4";
            case "avif", "avis" -> "image/avif";
            case "heic", "heix", "heim", "heis", "mif1", "msf1" -> "image/heic";
            default -> "video/mp4";
        };
    }

    /**
     * An MPEG audio frame header: 11 sync bits, a valid version and layer, a bitrate index other
     * than "bad" and a valid sampling rate. (AAC's ADTS has layer 00 and is not matched.)
     */
    private static boolean isMpegAudioFrame(byte[] head) {
        if (head.length < 3 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xE0) != 0xE0) {
            return false;
        }
        int version = (head[1] >> 3) & 0x03;
        int layer = (head[1] >> 1) & 0x03;
        int bitrate = (head[2] >> 4) & 0x0F;
        int sampling = (head[2] >> 2) & 0x03;
        return version != 0x01 && layer != 0x00 && bitrate != 0x0F && sampling != 0x03;
    }

    private static boolean isUtf8Text(byte[] head, int n, boolean complete) {
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                return false;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head, 0, n);
        CharBuffer out = CharBuffer.allocate(n);
        CoderResult r = decoder.decode(in, out, complete);
        if (r.isError()) {
            return false;
        }
        if (complete) {
            return !in.hasRemaining() && !decoder.flush(out).isError();
        }
        // Cut off by the window: at most one incomplete sequence (≤ 3 bytes) may remain.
        return in.remaining() <= 3;
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] b, int limit, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
