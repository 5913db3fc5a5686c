package io.switchboard.service;

import io.switchboard.bus.Control;
import io.switchboard.domain.Agent;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Ref;
import io.switchboard.domain.Role;
import io.switchboard.domain.Team;
import io.switchboard.domain.Widget;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.pg.TeamStore;
import io.switchboard.store.pg.WidgetStore;
import io.switchboard.store.pg.WorkspaceStore;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin's use cases: agents, teams and their members, widgets. Only admins may call them;
 * membership and role changes reach the agents' open sessions at once.
 */
public final class AdminService {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");
    static final int MIN_PASSWORD = 8;

    private final AgentStore agents;
    private final TeamStore teams;
    private final WidgetStore widgets;
    private final Passwords passwords;
    private final Control control;
    private final WorkspaceStore workspaces;
    private final RoutingService routing;

    public AdminService(AgentStore agents, TeamStore teams, WidgetStore widgets, Passwords passwords, Control control,
                        WorkspaceStore workspaces, RoutingService routing) {
        this.workspaces = workspaces;
        this.routing = routing;
        this.agents = agents;
        this.teams = teams;
        this.widgets = widgets;
        this.passwords = passwords;
        this.control = control;
    }

    /** The fields of a new or changed agent; null means "not given". */
    public record AgentInput(String email, String name, String password, String role, Integer maxChats) {
    }

    public Future<List<Agent>> agents(Principal who) {
        return requireAdmin(who).compose(v -> agents.list(who.workspaceId()));
    }

    public Future<Agent> createAgent(Principal who, AgentInput in) {
        return requireAdmin(who).compose(v -> {
            String email = checkEmail(in.email(), true);
            String name = checkName(in.name(), true, "name");
            checkPassword(in.password(), true);
            Role role = in.role() == null ? Role.AGENT : Role.fromWire(in.role());
            int maxChats = checkMaxChats(in.maxChats(), 5);
            return passwords.hash(in.password())
                    .compose(hash -> agents.create(who.workspaceId(), email, name, hash, role, maxChats));
        });
    }

    public Future<Agent> updateAgent(Principal who, String agentId, AgentInput in) {
        return requireAdmin(who).compose(v -> {
            String email = checkEmail(in.email(), false);
            String name = checkName(in.name(), false, "name");
            checkPassword(in.password(), false);
            Role role = in.role() == null ? null : Role.fromWire(in.role());
            Integer maxChats = in.maxChats() == null ? null : checkMaxChats(in.maxChats(), 5);
            Future<String> hash = in.password() == null ? Future.succeededFuture(null) : passwords.hash(in.password());
            return hash.compose(h -> agents.update(who.workspaceId(), agentId, email, name, h, role, maxChats))
                    .onSuccess(a -> control.agentChanged(a.id()));
        });
    }

    public Future<List<Team>> teams(Principal who) {
        return requireAdmin(who).compose(v -> teams.list(who.workspaceId()));
    }

    public Future<Team> createTeam(Principal who, String name, String routing) {
        return requireAdmin(who).compose(v -> teams.create(who.workspaceId(), checkName(name, true, "name"),
                checkRouting(routing)));
    }

    /** Renames a team or changes its policy; a team turned {@code auto} is drained at once. */
    public Future<Team> updateTeam(Principal who, String teamId, String name, String routingPolicy) {
        return requireAdmin(who).compose(v -> teams.update(who.workspaceId(), teamId,
                        name == null ? null : checkName(name, true, "name"),
                        routingPolicy == null ? null : checkRouting(routingPolicy)))
                .onSuccess(team -> {
                    if (routingPolicy != null) {
                        routing.policyChanged(team.id());
                    }
                })
                .compose(team -> routing.drainAll(List.of(team.id())).otherwiseEmpty().map(team));
    }

    /** The caller's workspace (any agent). */
    public Future<WorkspaceStore.Workspace> workspace(Principal who) {
        return workspaces.byId(who.workspaceId());
    }

    /** Sets the policy of conversations with no team; turning it {@code auto} drains them at once. */
    public Future<WorkspaceStore.Workspace> setDefaultRouting(Principal who, String routingPolicy) {
        return requireAdmin(who)
                .compose(v -> {
                    if (routingPolicy == null) {
                        throw Failure.badRequest("defaultRouting is required");
                    }
                    return workspaces.setDefaultRouting(who.workspaceId(), checkRouting(routingPolicy));
                })
                .onSuccess(v -> routing.policyChanged(io.switchboard.domain.Pools.of(who.workspaceId(), null)))
                .compose(v -> routing.drainAll(List.of(io.switchboard.domain.Pools.of(who.workspaceId(), null))).otherwiseEmpty())
                .compose(v -> workspaces.byId(who.workspaceId()));
    }

    /** Replaces a team's members; every agent who joined or left is told at once. */
    public Future<Team> setMembers(Principal who, String teamId, List<String> agentIds) {
        return requireAdmin(who)
                .compose(v -> teams.byId(who.workspaceId(), teamId))
                .compose(before -> before.isEmpty()
                        ? Future.failedFuture(Failure.notFound("no such team"))
                        : teams.setMembers(who.workspaceId(), teamId, agentIds).map(after -> {
                            Set<String> touched = new HashSet<>();
                            before.get().members().stream().map(Ref::id).forEach(touched::add);
                            after.members().stream().map(Ref::id).forEach(touched::add);
                            touched.forEach(control::agentChanged);
                            return after;
                        }));
    }

    public Future<List<Widget>> widgets(Principal who) {
        return requireAdmin(who).compose(v -> widgets.list(who.workspaceId()));
    }

    public Future<Widget> createWidget(Principal who, String name, String teamId) {
        return requireAdmin(who).compose(v -> widgets.create(who.workspaceId(), checkName(name, true, "name"), teamId));
    }

    private static Future<Void> requireAdmin(Principal who) {
        return who.isAdmin() ? Future.succeededFuture() : Future.failedFuture(Failure.forbidden("admins only"));
    }

    static String checkEmail(String email, boolean required) {
        if (email == null) {
            if (required) {
                throw Failure.badRequest("email is required");
            }
            return null;
        }
        String e = email.trim();
        if (!EMAIL.matcher(e).matches()) {
            throw Failure.badRequest("email is not an e-mail address");
        }
        return e;
    }

    static String checkName(String name, boolean required, String field) {
        if (name == null || name.isBlank()) {
            if (required || name != null) {
                throw Failure.badRequest(field + " is required");
            }
            return null;
        }
        if (name.length() > 200) {
            throw Failure.badRequest(field + " is longer than 200 characters");
        }
        return name.trim();
    }

    static void checkPassword(String password, boolean required) {
        if (password == null) {
            if (required) {
                throw Failure.badRequest("password is required");
            }
            return;
        }
        if (password.length() < MIN_PASSWORD || password.length() > 200) {
            throw Failure.badRequest("password must have " + MIN_PASSWORD + " to 200 characters");
        }
    }

    static int checkMaxChats(Integer maxChats, int def) {
        if (maxChats == null) {
            return def;
        }
        if (maxChats < 1 || maxChats > 1000) {
            throw Failure.badRequest("maxChats must be between 1 and 1000");
        }
        return maxChats;
    }

    static String checkRouting(String routing) {
        if (routing == null) {
            return "manual";
        }
        if (!routing.equals("manual") && !routing.equals("auto")) {
            throw Failure.badRequest("routing must be manual or auto");
        }
        return routing;
    }
}
