package io.switchboard.domain;

import java.util.List;

/** A team: its routing policy ({@code manual} or {@code auto}) and its members. */
public record Team(String id, String name, String routing, List<Ref> members) {
}
