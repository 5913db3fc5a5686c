package io.switchboard.domain;

/** A named reference to an agent or a team, as the wire shows it: {@code {"id","name"}}. */
public record Ref(String id, String name) {
}
