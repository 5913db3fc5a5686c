package io.switchboard.domain;

import java.util.List;

/** An agent's profile (never its password hash). */
public record Agent(String id, String workspaceId, String email, String name, Role role, int maxChats, List<Ref> teams) {
    public Principal principal() {
        return new Principal(id, workspaceId, name, role,
                teams.stream().map(Ref::id).collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }
}
