package io.switchboard.protocol;

import java.util.Map;

/**
 * Every command a client may send, one record per wire {@code type}. {@link FrameDecoder} maps
 * JSON to these; nothing else in the server reads raw client JSON.
 */
public sealed interface ClientFrame {

    record Ping() implements ClientFrame {
    }

    /** A customer's message; the server knows the conversation. */
    record CustomerMessage(String clientMsgId, String text, String attachmentId, Map<String, Object> payload)
            implements ClientFrame {
    }

    record History(String conversationId, Long afterSeq, Integer limit) implements ClientFrame {
    }

    /** {@code conversationId} is null on the customer socket. */
    record Typing(String conversationId, boolean on) implements ClientFrame {
    }

    /** {@code conversationId} is null on the customer socket. */
    record Read(String conversationId, long seq) implements ClientFrame {
    }

    record InviteRespond(String inviteId, boolean accept) implements ClientFrame {
    }

    record StatusSet(String status) implements ClientFrame {
    }

    record OpenConversation(String conversationId, Long afterSeq, Integer limit) implements ClientFrame {
    }

    record Assign(String conversationId) implements ClientFrame {
    }

    record Transfer(String conversationId, String toAgentId, String toTeamId, String comment, boolean force)
            implements ClientFrame {
    }

    record SetConversationStatus(String conversationId, String status) implements ClientFrame {
    }

    record AgentMessage(String conversationId, String clientMsgId, String kind, String text, String attachmentId,
                        Map<String, Object> payload) implements ClientFrame {
    }

    record AddNote(String conversationId, String clientMsgId, String text) implements ClientFrame {
    }

    record CreateInvite(String conversationId, String kind) implements ClientFrame {
    }

    record EndInvite(String inviteId) implements ClientFrame {
    }

    record SearchTextBlocks(String q) implements ClientFrame {
    }
}
