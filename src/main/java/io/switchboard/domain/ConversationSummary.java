package io.switchboard.domain;

/**
 * A conversation as lists and events show it. An open one with no assignee is waiting.
 * {@code arrival} orders queues (creation order); it is not part of the wire.
 */
public record ConversationSummary(String id, String workspaceId, ConversationStatus status, Ref assignee, Ref team, VisitorInfo visitor,
                                  long createdAt, long lastSeq, Message lastMessage, long arrival) {

    /** What the rules and the audience need of it. */
    public ConversationState state() {
        return new ConversationState(id, workspaceId, visitor.id(), team == null ? null : team.id(),
                assignee == null ? null : assignee.id(), status);
    }
}
