package io.switchboard.domain;

import java.util.Set;

/**
 * An invitation the customer must accept: co-browsing, a call, a video call, a desktop request,
 * screen sharing or a conference. {@code at}: when it last changed.
 */
public record Invite(String id, String conversationId, String kind, InviteState state, long at) {
    public static final Set<String> KINDS = Set.of("cobrowse", "call", "video_call", "desktop_request", "screen_share", "conference");

    public static String checkKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw Failure.badRequest("kind must be one of cobrowse, call, video_call, desktop_request, screen_share, conference");
        }
        return kind;
    }
}
