package io.switchboard.store.pg;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Small helpers over row sets, shared by the stores. */
final class Rows {
    private Rows() {
    }

    static <T> Optional<T> first(RowSet<Row> rs, Function<Row, T> fromRow) {
        var it = rs.iterator();
        return it.hasNext() ? Optional.of(fromRow.apply(it.next())) : Optional.empty();
    }

    static <T> List<T> all(RowSet<Row> rs, Function<Row, T> fromRow) {
        List<T> out = new ArrayList<>(rs.rowCount());
        for (Row r : rs) {
            out.add(fromRow.apply(r));
        }
        return out;
    }

    static String uuid(Row r, String column) {
        var id = r.getUUID(column);
        return id == null ? null : id.toString();
    }
}
