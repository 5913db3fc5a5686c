package io.switchboard.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A pool is where a waiting conversation waits and from whose agents it is served: its team, or,
 * for a conversation with no team, every agent of the workspace.
 */
public final class Pools {
    private static final String WORKSPACE = "ws-";

    private Pools() {
    }

    public static String of(String workspaceId, String teamId) {
        return teamId != null ? teamId : WORKSPACE + workspaceId;
    }

    public static String of(ConversationState c) {
        return of(c.workspaceId(), c.teamId());
    }

    /** The pools an agent serves: each of its teams, and its workspace's conversations with no team. */
    public static List<String> of(Principal p) {
        List<String> out = new ArrayList<>(p.teamIds().size() + 1);
        out.addAll(p.teamIds());
        out.add(WORKSPACE + p.workspaceId());
        return out;
    }

    /** The workspace of a workspace pool (one that has no team). */
    public static String workspaceOf(String pool) {
        if (!pool.startsWith(WORKSPACE)) {
            throw new IllegalArgumentException("not a workspace pool: " + pool);
        }
        return pool.substring(WORKSPACE.length());
    }

    /** The team of a pool, or null for the workspace pool. */
    public static String teamOf(String pool) {
        return pool.startsWith(WORKSPACE) ? null : pool;
    }
}
