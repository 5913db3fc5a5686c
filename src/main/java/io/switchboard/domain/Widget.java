package io.switchboard.domain;

/** A chat widget: its public key maps to a workspace and optionally a team. */
public record Widget(String id, String workspaceId, String key, String name, String teamId) {
}
