package io.switchboard.metrics;

import io.switchboard.service.PresenceService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts what is best counted when the metrics are read rather than on every change: conversations
 * by status and waiting conversations by team (from Postgres, for the whole deployment), agents by
 * presence (those with a socket on this node).
 */
public final class Gauges {
    private final Pool pool;
    private final PresenceService presence;
    private final Metrics metrics;

    public Gauges(Pool pool, PresenceService presence, Metrics metrics) {
        this.pool = pool;
        this.presence = presence;
        this.metrics = metrics;
    }

    public Future<Void> refresh() {
        metrics.agents(presence.countByStatus());
        return pool.query("select status, count(*) from conversations group by status").execute()
                .map(rs -> {
                    Map<String, Long> byStatus = new HashMap<>(Map.of("open", 0L, "pending", 0L, "done", 0L));
                    rs.forEach(r -> byStatus.put(r.getString(0), r.getLong(1)));
                    metrics.conversations(byStatus);
                    return null;
                })
                .compose(v -> pool.query("""
                        select t.name, count(c.id) from teams t
                          left join conversations c on c.team_id = t.id and c.status = 'open' and c.assignee_id is null
                         group by t.name
                        union all
                        select '(no team)', count(*) from conversations
                         where team_id is null and status = 'open' and assignee_id is null""").execute())
                .map(rs -> {
                    Map<String, Long> byTeam = new HashMap<>();
                    rs.forEach(r -> byTeam.merge(r.getString(0), r.getLong(1), Long::sum));
                    metrics.queues(byTeam);
                    return null;
                });
    }
}
