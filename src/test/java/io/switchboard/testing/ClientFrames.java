package io.switchboard.testing;

import io.vertx.core.json.JsonObject;

/** Client frames of the wire protocol, as the tests send them. */
public final class ClientFrames {
    private ClientFrames() {
    }

    /** A customer's text message. */
    public static JsonObject customerMessage(String clientMsgId, String text) {
        return new JsonObject().put("type", "message").put("clientMsgId", clientMsgId).put("text", text);
    }

    /** An agent's text message to a conversation. */
    public static JsonObject agentMessage(String conversationId, String clientMsgId, String text) {
        return new JsonObject().put("type", "message").put("conversationId", conversationId)
                .put("clientMsgId", clientMsgId).put("kind", "text").put("text", text);
    }

    /** A frame of a type about a conversation (assign, open, status, transfer …); add the rest with put. */
    public static JsonObject frame(String type, String conversationId) {
        return new JsonObject().put("type", type).put("conversationId", conversationId);
    }
}
