package io.switchboard.domain;

/** A text block (template) an agent finds by typing {@code #}: workspace-wide when {@code teamId} is null. */
public record TextBlock(String id, String teamId, String shortcut, String title, String body) {
}
