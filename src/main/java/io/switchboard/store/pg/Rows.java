package io.switchboard.store.pg;

import io.switchboard.domain.Ref;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * The answer of a batched statement, one per input in input order: each row names its input's
     * place (1-based) in {@code ordColumn}; an input without a row gets null.
     */
    static <T> List<T> byOrd(RowSet<Row> rs, int inputs, String ordColumn, Function<Row, T> fromRow) {
        List<T> out = new ArrayList<>(Collections.nCopies(inputs, null));
        for (Row r : rs) {
            out.set(r.getLong(ordColumn).intValue() - 1, fromRow.apply(r));
        }
        return out;
    }

    static <T> List<T> all(RowSet<Row> rs, Function<Row, T> fromRow) {
        List<T> out = new ArrayList<>(rs.rowCount());
        for (Row r : rs) {
            out.add(fromRow.apply(r));
        }
        return out;
    }

    /** A JSON array of {@code {"id","name"}} objects (built with json_agg) as refs. */
    static List<Ref> refs(Row r, String column) {
        Object raw = r.getValue(column);
        JsonArray arr = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
        List<Ref> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonObject o = arr.getJsonObject(i);
            out.add(new Ref(o.getString("id"), o.getString("name")));
        }
        return List.copyOf(out);
    }

    static String uuid(Row r, String column) {
        var id = r.getUUID(column);
        return id == null ? null : id.toString();
    }
}
