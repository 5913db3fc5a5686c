package io.switchboard.domain;

/** A customer known by a token kept in its browser. */
public record Visitor(String id, String workspaceId, String widgetId, String name, String email) {
}
