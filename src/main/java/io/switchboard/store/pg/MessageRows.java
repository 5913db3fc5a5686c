package io.switchboard.store.pg;

import io.switchboard.domain.AttachmentRef;
import io.switchboard.domain.Author;
import io.switchboard.domain.Message;
import io.switchboard.domain.MessageKind;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** The columns of a message and their mapping, shared by every query that returns messages. */
final class MessageRows {
    /**
     * Message columns of table alias {@code m} with its attachment (alias {@code att}, left joined on
     * {@code att.id = m.attachment_id}), each renamed with the prefix {@code m_}; ends with a newline.
     */
    static final String COLUMNS = """
            m.id as m_id, m.conversation_id as m_conversation_id, m.seq as m_seq, m.at as m_at,
            m.author_type as m_author_type, m.author_id as m_author_id, m.author_name as m_author_name,
            m.kind as m_kind, m.text as m_text, m.attachment_id as m_attachment_id, m.payload as m_payload,
            m.client_msg_id as m_client_msg_id,
            att.name as m_att_name, att.content_type as m_att_type, att.size as m_att_size
            """;

    private MessageRows() {
    }

    /** The message in this row, or null when the row carries none (a left join that matched nothing). */
    static Message fromRow(Row r) {
        if (r.getUUID("m_id") == null) {
            return null;
        }
        Object payload = r.getValue("m_payload");
        return new Message(r.getUUID("m_id").toString(), r.getUUID("m_conversation_id").toString(),
                r.getLong("m_seq"), Ids.millis(r.getOffsetDateTime("m_at")), r.getString("m_client_msg_id"),
                new Author(r.getString("m_author_type"), Rows.uuid(r, "m_author_id"), r.getString("m_author_name")),
                MessageKind.fromWire(r.getString("m_kind")), r.getString("m_text"), attachment(r),
                payload instanceof JsonObject j ? j.getMap() : null);
    }

    private static AttachmentRef attachment(Row r) {
        String id = Rows.uuid(r, "m_attachment_id");
        return id == null ? null : new AttachmentRef(id, r.getString("m_att_name"), r.getString("m_att_type"),
                r.getLong("m_att_size") == null ? 0 : r.getLong("m_att_size"));
    }
}
