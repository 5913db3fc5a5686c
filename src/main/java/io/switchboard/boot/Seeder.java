package io.switchboard.boot;

import io.switchboard.domain.Role;
import io.switchboard.service.Passwords;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.pg.TeamStore;
import io.switchboard.store.pg.WidgetStore;
import io.switchboard.store.pg.WorkspaceStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seeds an empty database, in one transaction: a workspace, an admin agent who is a member of a
 * "Support" team with manual routing, and a widget bound to that team. Does nothing otherwise.
 */
final class Seeder {

    /** What was seeded (or found): the admin's login and a widget key to print. */
    record Seed(boolean created, String adminEmail, String generatedPassword, String widgetKey) {
    }

    private Seeder() {
    }

    static Future<Seed> run(Vertx vertx, Pool pool, String adminEmail, String adminPassword) {
        WorkspaceStore workspaces = new WorkspaceStore(pool);
        AgentStore agents = new AgentStore(pool);
        TeamStore teams = new TeamStore(pool);
        WidgetStore widgets = new WidgetStore(pool);
        return workspaces.isEmpty().compose(empty -> {
            if (!empty) {
                return widgets.firstKey().map(key -> new Seed(false, null, null, key.orElse(null)));
            }
            String password = adminPassword != null ? adminPassword : generatePassword();
            return new Passwords(vertx).hash(password).compose(hash -> pool.withTransaction(tx ->
                    workspaces.create(tx, "Demo workspace").compose(ws ->
                            agents.create(tx, ws, adminEmail, "Admin", hash, Role.ADMIN, 5).compose(admin ->
                                    teams.create(tx, ws, "Support", "manual").compose(team ->
                                            teams.addMember(tx, team.id(), admin.id())
                                                    .compose(v -> widgets.create(tx, ws, "Website", team.id())))))))
                    .map(widget -> new Seed(true, adminEmail, adminPassword == null ? password : null, widget.key()));
        });
    }

    /** A random password (the seeded admin's when none is set; the warm-up agents'). */
    static String generatePassword() {
        byte[] raw = new byte[12];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
