package io.switchboard.domain;

/**
 * Who may do what with a conversation. Each rule returns normally when allowed and throws a
 * {@link Failure} naming the reason otherwise. The stores encode the same conditions in their
 * conditional updates (for atomicity); these rules are the specification and explain refusals.
 *
 * <p>A conversation of another workspace is reported as {@code not_found}: its existence is
 * not revealed.
 */
public final class Permissions {
    private Permissions() {
    }

    /** Reading, opening and writing notes: admins, the assignee, the team's members, anyone for no team. */
    public static void checkCanSee(Principal who, ConversationState c) {
        checkSameWorkspace(who, c);
        if (!canSee(who, c)) {
            throw Failure.forbidden("this conversation belongs to a team you are not in");
        }
    }

    public static boolean canSee(Principal who, ConversationState c) {
        return who.workspaceId().equals(c.workspaceId())
                && (who.isAdmin() || who.agentId().equals(c.assigneeId()) || c.teamId() == null || who.inTeam(c.teamId()));
    }

    /** Sending customer-visible messages and invites: the assignee or an admin, while not done. */
    public static void checkCanSend(Principal who, ConversationState c) {
        checkSameWorkspace(who, c);
        if (!who.isAdmin() && !who.agentId().equals(c.assigneeId())) {
            throw Failure.forbidden(c.assigneeId() == null
                    ? "assign the conversation to yourself before writing to the customer"
                    : "only the assignee or an admin may write to the customer");
        }
        if (!c.status().acceptsMessages()) {
            throw Failure.conflict("the conversation is done; reopen it first");
        }
    }

    /** "Assign to me": an agent who may see it, when nobody else holds it and it is not done. */
    public static void checkCanClaim(Principal who, ConversationState c) {
        checkCanSee(who, c);
        if (c.status() == ConversationStatus.DONE) {
            throw Failure.conflict("the conversation is done");
        }
        if (c.assigneeId() != null && !c.assigneeId().equals(who.agentId())) {
            throw Failure.conflict("another agent has already taken this conversation");
        }
    }

    /** Status changes: the assignee or an admin, along the state machine. */
    public static void checkCanChangeStatus(Principal who, ConversationState c, ConversationStatus target) {
        checkSameWorkspace(who, c);
        if (!who.isAdmin() && !who.agentId().equals(c.assigneeId())) {
            throw Failure.forbidden("only the assignee or an admin may change the status");
        }
        if (!c.status().canMoveTo(target)) {
            throw Failure.conflict("a " + c.status().wire() + " conversation cannot become " + target.wire());
        }
    }

    /**
     * Transfers: the assignee or an admin; when nobody holds the conversation, anyone who may see it.
     * Not once it is done.
     */
    public static void checkCanTransfer(Principal who, ConversationState c) {
        checkCanSee(who, c);
        if (c.assigneeId() != null && !who.isAdmin() && !who.agentId().equals(c.assigneeId())) {
            throw Failure.forbidden("only the assignee or an admin may transfer this conversation");
        }
        if (c.status() == ConversationStatus.DONE) {
            throw Failure.conflict("the conversation is done; reopen it first");
        }
    }

    /** A customer reads only its own conversations. */
    public static void checkVisitorOwns(String visitorId, ConversationState c) {
        if (!c.visitorId().equals(visitorId)) {
            throw Failure.notFound("no such conversation");
        }
    }

    private static void checkSameWorkspace(Principal who, ConversationState c) {
        if (!who.workspaceId().equals(c.workspaceId())) {
            throw Failure.notFound("no such conversation");
        }
    }
}
