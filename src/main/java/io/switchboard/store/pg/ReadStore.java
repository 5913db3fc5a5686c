package io.switchboard.store.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.OptionalLong;
import java.util.UUID;

/** Read receipts: the last seq a participant has read in a conversation. Only ever moves forward. */
public final class ReadStore {
    private final Pool pool;

    public ReadStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records that a reader has read up to {@code seq} (at most the conversation's last seq).
     *
     * @return the new mark when it moved forward, empty when it did not (nothing to announce)
     */
    public Future<OptionalLong> mark(String conversationId, String readerType, String readerId, long seq) {
        return pool.preparedQuery("""
                        insert into conversation_reads (conversation_id, reader_type, reader_id, seq)
                        select c.id, $2, $3, least($4, c.last_seq) from conversations c where c.id = $1
                        on conflict (conversation_id, reader_id) do update
                           set seq = excluded.seq, at = now()
                         where conversation_reads.seq < excluded.seq
                        returning seq""")
                .execute(Tuple.of(UUID.fromString(conversationId), readerType, UUID.fromString(readerId), seq))
                .map(rs -> rs.size() == 0 ? OptionalLong.empty() : OptionalLong.of(rs.iterator().next().getLong(0)));
    }
}
