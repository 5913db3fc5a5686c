package io.switchboard.store;

import io.switchboard.store.pg.Jdbc;
import io.switchboard.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans PL/pgSQL keeps for the functions on the way of a new conversation to its agent (V12): made
 * while a table is a few pages long, they must not scan it whole once it has grown.
 */
class FunctionPlansIT {
    private static final UUID WORKSPACE = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID WIDGET = UUID.fromString("00000000-0000-0000-0000-0000000000a2");

    @Test
    void openingAConversationLooksVisitorsUpByIndexWhateverSizeTheyHadWhenItsPlansWereMade() throws Exception {
        try (Connection c = Jdbc.connect(TestServers.get().newDatabase());
             Statement st = c.createStatement()) {
            // No analyze behind the test's back: the statistics stay those of a tiny table.
            st.execute("alter table visitors set (autovacuum_enabled = false)");
            st.execute("alter table conversations set (autovacuum_enabled = false)");
            st.execute("insert into workspaces (id, name) values ('" + WORKSPACE + "', 'w')");
            st.execute("insert into widgets (id, workspace_id, key, name) values ('" + WIDGET + "', '" + WORKSPACE + "', 'k', 'w')");
            addVisitors(st, 10);
            st.execute("analyze visitors");
            // Six openings on this connection: from the sixth on, PL/pgSQL runs the plans it keeps.
            try (ResultSet rs = st.executeQuery("select id from visitors")) {
                while (rs.next()) {
                    open(c, rs.getObject(1, UUID.class));
                }
            }
            addVisitors(st, 3000);
            UUID grown = UUID.randomUUID();
            st.execute("insert into visitors (id, workspace_id, widget_id, token_hash) values ('" + grown + "', '"
                    + WORKSPACE + "', '" + WIDGET + "', '\\x01'::bytea)");

            st.execute("load 'auto_explain'");
            st.execute("set auto_explain.log_min_duration = 0");
            st.execute("set auto_explain.log_nested_statements = on");
            st.execute("set auto_explain.log_level = notice");
            String plans = open(c, grown);

            assertThat(plans).as("the plans of the function's statements were captured").contains("visitors_pkey");
            assertThat(plans).doesNotContain("Seq Scan on visitors");
        }
    }

    private static void addVisitors(Statement st, int n) throws Exception {
        st.execute("insert into visitors (id, workspace_id, widget_id, token_hash) select gen_random_uuid(), '" + WORKSPACE
                + "', '" + WIDGET + "', decode(md5(random()::text), 'hex') from generate_series(1, " + n + ")");
    }

    /** Opens a conversation for the visitor; returns the notices it raised (the plans auto_explain shows). */
    private static String open(Connection c, UUID visitor) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select outcome from open_conversation(?, ?, now(), null, null,"
                + " null, null, null, null, null, null, null, null)")) {
            ps.setObject(1, visitor);
            ps.setObject(2, UUID.randomUUID());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("created");
            }
            StringBuilder notices = new StringBuilder();
            for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.append(w.getMessage()).append('\n');
            }
            return notices.toString();
        }
    }
}
