package io.switchboard.protocol;

import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Message;
import io.switchboard.domain.Note;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Server frames, serialised once: every event is built here as a {@link Buffer} and the same bytes
 * go to every socket that should get it.
 */
public final class Frames {
    public static final int PROTOCOL_VERSION = 1;

    private Frames() {
    }

    public static Buffer ack(String ref, JsonObject result) {
        return JsonWire.encode(new JsonObject().put("type", "ack").put("ref", ref).put("result", result));
    }

    public static Buffer error(String ref, ErrorCode code, String message) {
        return JsonWire.encode(new JsonObject().put("type", "error").put("ref", ref).put("code", code.wire()).put("message", message));
    }

    public static Buffer event(String type, JsonObject body) {
        return JsonWire.encode(new JsonObject().put("type", type).mergeIn(body));
    }

    /** {@code message} to agents, or to customers (agent, system and the customer's own echoed). */
    public static Buffer message(Message m, Audience to) {
        return JsonWire.encode(new JsonObject().put("type", "message").put("message", Views.message(m, to)));
    }

    public static Buffer note(Note n) {
        return JsonWire.encode(new JsonObject().put("type", "note").put("note", Views.note(n)));
    }

    /** An event to agents carrying a conversation summary: conversation.assigned, conversation.status … */
    public static Buffer conversationEvent(String type, ConversationSummary c) {
        return JsonWire.encode(new JsonObject().put("type", type).put("conversation", Views.summary(c, Audience.AGENT)));
    }

    /**
     * A conversation an agent may take (the console rings).
     *
     * @param transfer for a conversation transferred to the agent's team: {@code {"from","comment"?}}, else null
     */
    public static Buffer conversationNew(ConversationSummary c, Message message, JsonObject transfer) {
        JsonObject j = new JsonObject().put("type", "conversation.new").put("conversation", Views.summary(c, Audience.AGENT));
        if (message != null) {
            j.put("message", Views.message(message, Audience.AGENT));
        }
        if (transfer != null) {
            j.put("transfer", transfer);
        }
        return JsonWire.encode(j);
    }

    /** {@code agent.joined} to the customer: the agent by name only. */
    public static Buffer agentJoined(String agentName) {
        return JsonWire.encode(new JsonObject().put("type", "agent.joined").put("agent", new JsonObject().put("name", agentName)));
    }

    /** {@code conversation.status} as the customer gets it: id and status only. */
    public static Buffer customerStatus(String conversationId, String status) {
        return JsonWire.encode(new JsonObject().put("type", "conversation.status").put("conversationId", conversationId)
                .put("status", status));
    }
}
