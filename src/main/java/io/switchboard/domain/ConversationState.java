package io.switchboard.domain;

/** What the rules need to know of a conversation: who owns it, where it belongs, its status. */
public record ConversationState(String id, String workspaceId, String visitorId, String teamId,
                                String assigneeId, ConversationStatus status) {
}
