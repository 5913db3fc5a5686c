package io.switchboard.service;

import io.switchboard.domain.Agent;
import io.switchboard.domain.AgentStatus;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Team;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.pg.ConversationStore;
import io.switchboard.store.pg.TeamStore;
import io.switchboard.store.redis.PresenceStore;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Who an agent can hand a conversation to: every agent of the workspace with presence and load,
 * and every team with how many of its members are online. Any agent may ask (a transfer dialog
 * needs it); it shows names, never e-mail addresses or anything of customers.
 */
public final class DirectoryService {
    private final AgentStore agents;
    private final TeamStore teams;
    private final ConversationStore conversations;
    private final PresenceStore presence;

    public DirectoryService(AgentStore agents, TeamStore teams, ConversationStore conversations, PresenceStore presence) {
        this.agents = agents;
        this.teams = teams;
        this.conversations = conversations;
        this.presence = presence;
    }

    /** An agent as a colleague sees it: its status (offline when not present) and its open conversations. */
    public record Colleague(Agent agent, AgentStatus status, int load) {
    }

    /** A team and how many of its members are online. */
    public record TeamPresence(Team team, int online) {
    }

    public record Directory(List<Colleague> agents, List<TeamPresence> teams) {
    }

    public Future<Directory> of(Principal who) {
        return agents.list(who.workspaceId()).compose(list -> {
            List<String> ids = list.stream().map(Agent::id).toList();
            Future<Map<String, Integer>> loads = ids.isEmpty() ? Future.succeededFuture(Map.of()) : conversations.loads(ids);
            Future<Map<String, String>> statuses = presence.presentStatuses(ids);
            Future<List<Team>> teamList = teams.list(who.workspaceId());
            return Future.all(loads, statuses, teamList).map(v -> {
                List<Colleague> colleagues = list.stream().map(a -> new Colleague(a,
                        AgentStatus.fromWire(statuses.result().getOrDefault(a.id(), "offline")),
                        loads.result().getOrDefault(a.id(), 0))).toList();
                List<TeamPresence> teamsOnline = teamList.result().stream().map(t -> new TeamPresence(t,
                        (int) colleagues.stream().filter(c -> c.status() == AgentStatus.ONLINE
                                && c.agent().teams().stream().anyMatch(r -> r.id().equals(t.id()))).count())).toList();
                return new Directory(colleagues, teamsOnline);
            });
        });
    }
}
