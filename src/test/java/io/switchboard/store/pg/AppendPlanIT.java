package io.switchboard.store.pg;

import io.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static io.switchboard.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan a node's connection keeps for the append of messages: made while conversations was a few
 * rows long, it must not read conversations whole once the table has grown. It read it whole 50-960
 * times a second at 10,000 msg/s until autovacuum's next analyze replanned it (docs/benchmarks-log.md).
 */
class AppendPlanIT {
    private static final String WORKSPACE = "00000000-0000-0000-0000-0000000000b1";
    private static final String WIDGET = "00000000-0000-0000-0000-0000000000b2";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void theKeptPlanLocksConversationsByTheirKeyWhateverSizeTheTableHadWhenItWasMade() throws Exception {
        String url = TestServers.get().newDatabase();
        UUID conversation;
        try (Connection c = Jdbc.connect(url); Statement st = c.createStatement()) {
            // No analyze behind the test's back: the statistics stay those of a tiny table.
            st.execute("alter table conversations set (autovacuum_enabled = false)");
            st.execute("insert into workspaces (id, name) values ('" + WORKSPACE + "', 'w')");
            st.execute("insert into widgets (id, workspace_id, key, name) values ('" + WIDGET + "', '" + WORKSPACE + "', 'k', 'w')");
            conversation = addConversations(st, 10);
            st.execute("analyze conversations");
        }
        // One connection, set up as the node's are; the plan is made once, as a prepared statement's
        // generic plan is after its first runs, and kept.
        Pool pool = PgPools.create(vertx, url, 1, "plans");
        await(pool.query("set plan_cache_mode = force_generic_plan").execute());
        await(pool.query("prepare append (uuid[], uuid[], text[], timestamptz[], text[], uuid[], text[], text[], text[], uuid[],"
                + " uuid[], uuid[], boolean[], jsonb[]) as " + MessageStore.APPEND).execute());
        await(pool.query("execute append" + arguments(conversation)).execute());

        try (Connection c = Jdbc.connect(url); Statement st = c.createStatement()) {
            addConversations(st, 5000);
        }
        StringBuilder plan = new StringBuilder();
        for (Row row : await(pool.query("explain execute append" + arguments(conversation)).execute())) {
            plan.append(row.getString(0)).append('\n');
        }

        assertThat(plan).as("the kept plan").contains("conversations_pkey");
        assertThat(plan).doesNotContain("Seq Scan on conversations");
    }

    /** Adds n open conversations, each of a visitor of its own; returns the last one's id. */
    private static UUID addConversations(Statement st, int n) throws Exception {
        UUID last = null;
        for (int i = 0; i < n; i++) {
            UUID visitor = UUID.randomUUID();
            last = UUID.randomUUID();
            st.addBatch("insert into visitors (id, workspace_id, widget_id, token_hash) values ('" + visitor + "', '"
                    + WORKSPACE + "', '" + WIDGET + "', decode(md5(random()::text), 'hex'))");
            st.addBatch("insert into conversations (id, workspace_id, widget_id, visitor_id, created_at, updated_at) values ('"
                    + last + "', '" + WORKSPACE + "', '" + WIDGET + "', '" + visitor + "', now(), now())");
        }
        st.executeBatch();
        return last;
    }

    /** One system message for the conversation, in the statement's fourteen arrays. */
    private static String arguments(UUID conversation) {
        return "(array['" + conversation + "']::uuid[], array['" + UUID.randomUUID() + "']::uuid[], array[null]::text[],"
                + " array[now()], array['system'], array[null]::uuid[], array[null]::text[], array['text'], array['hello'],"
                + " array[null]::uuid[], array[null]::uuid[], array[null]::uuid[], array[false], array[null]::jsonb[])";
    }
}
