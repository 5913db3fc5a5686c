package io.switchboard.bus;

import io.switchboard.domain.ConversationState;
import io.switchboard.domain.Principal;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of the recipient groups events are addressed to. A topic names recipients, never a socket:
 * each node maps topics to its own sockets.
 */
public final class Topics {
    private Topics() {
    }

    /** Every socket of one visitor (customer). */
    public static String visitor(String visitorId) {
        return "v:" + visitorId;
    }

    /** Every socket of one agent. */
    public static String agent(String agentId) {
        return "a:" + agentId;
    }

    /** Every socket of the members of a team. */
    public static String team(String teamId) {
        return "t:" + teamId;
    }

    /** Every agent socket of a workspace: the audience of conversations with no team. */
    public static String workspaceAgents(String workspaceId) {
        return "w:" + workspaceId;
    }

    /** Every admin socket of a workspace. */
    public static String admins(String workspaceId) {
        return "adm:" + workspaceId;
    }

    /** The agents who may see a conversation: its assignee, its team (or everyone for no team), and admins. */
    public static List<String> conversationAgents(ConversationState c) {
        List<String> out = new ArrayList<>(3);
        if (c.assigneeId() != null) {
            out.add(agent(c.assigneeId()));
        }
        out.add(c.teamId() == null ? workspaceAgents(c.workspaceId()) : team(c.teamId()));
        out.add(admins(c.workspaceId()));
        return out;
    }

    /** The topics an agent's socket listens to. */
    public static List<String> of(Principal p) {
        List<String> out = new ArrayList<>(p.teamIds().size() + 3);
        out.add(agent(p.agentId()));
        out.add(workspaceAgents(p.workspaceId()));
        for (String t : p.teamIds()) {
            out.add(team(t));
        }
        if (p.isAdmin()) {
            out.add(admins(p.workspaceId()));
        }
        return out;
    }

    /** Where an agent's presence changes go: the agents who share a team with it, and admins. */
    public static List<String> presenceOf(Principal p) {
        List<String> out = new ArrayList<>(p.teamIds().size() + 1);
        for (String t : p.teamIds()) {
            out.add(team(t));
        }
        out.add(admins(p.workspaceId()));
        return out;
    }
}
