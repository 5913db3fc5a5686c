package io.switchboard.domain;

import java.util.Set;

/**
 * An authenticated agent as the rules see it: who is asking, in which workspace, with which
 * role and team memberships. Immutable: a membership change produces a new principal.
 */
public record Principal(String agentId, String workspaceId, String name, Role role, Set<String> teamIds) {
    public Principal {
        teamIds = Set.copyOf(teamIds);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean inTeam(String teamId) {
        return teamId != null && teamIds.contains(teamId);
    }
}
