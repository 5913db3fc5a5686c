package io.switchboard.protocol;

/** A decoded client frame and the {@code ref} its reply must carry (null: reply only on error). */
public record Decoded(String ref, String type, ClientFrame frame) {
}
