package io.switchboard.store.pg;

import io.vertx.pgclient.PgConnectOptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Blocking JDBC connections, for start-up work only (migrations, shared secrets): never on an event loop. */
public final class Jdbc {
    private Jdbc() {
    }

    public static Connection connect(String pgUrl) throws SQLException {
        PgConnectOptions o = PgConnectOptions.fromUri(pgUrl);
        return DriverManager.getConnection(url(o), o.getUser(), o.getPassword());
    }

    static String url(PgConnectOptions o) {
        return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    }
}
