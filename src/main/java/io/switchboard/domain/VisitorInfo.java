package io.switchboard.domain;

/** The customer of a conversation, as agents see it. */
public record VisitorInfo(String id, String name, String email) {
}
