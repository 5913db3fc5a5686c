package io.switchboard.protocol;

import io.switchboard.domain.Failure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Function;

/**
 * The one table from wire {@code type} to {@link ClientFrame}, per socket role. Decoding looks the
 * type up and maps the rest; malformed JSON, unknown types and bad fields are {@code bad_request}.
 */
public final class FrameDecoder {
    static final int MAX_REF = 64;
    static final int MAX_CLIENT_MSG_ID = 128;
    private static final int MAX_HISTORY = 500;

    private static final Map<String, Function<Fields, ClientFrame>> CUSTOMER = Map.of(
            "message", f -> new ClientFrame.CustomerMessage(f.requiredString("clientMsgId", MAX_CLIENT_MSG_ID),
                    f.text("text", false), f.optionalId("attachmentId"), f.optionalObject("payload")),
            "history", f -> new ClientFrame.History(f.optionalId("conversationId"),
                    f.optionalLong("afterSeq", 0, Long.MAX_VALUE), f.optionalInt("limit", 1, MAX_HISTORY)),
            "typing", f -> new ClientFrame.Typing(null, f.requiredBoolean("on")),
            "read", f -> new ClientFrame.Read(null, f.requiredLong("seq", 0, Long.MAX_VALUE)),
            "invite.respond", f -> new ClientFrame.InviteRespond(f.id("inviteId"), f.requiredBoolean("accept")),
            "ping", f -> new ClientFrame.Ping());

    private static final Map<String, Function<Fields, ClientFrame>> AGENT = Map.ofEntries(
            Map.entry("status.set", f -> new ClientFrame.StatusSet(f.requiredString("status", 16))),
            Map.entry("conversation.open", f -> new ClientFrame.OpenConversation(f.id("conversationId"),
                    f.optionalLong("afterSeq", 0, Long.MAX_VALUE), f.optionalInt("limit", 1, MAX_HISTORY))),
            Map.entry("conversation.assign", f -> new ClientFrame.Assign(f.id("conversationId"))),
            Map.entry("conversation.transfer", f -> new ClientFrame.Transfer(f.id("conversationId"),
                    f.optionalId("toAgentId"), f.optionalId("toTeamId"), f.text("comment", false), f.optionalBoolean("force"))),
            Map.entry("conversation.status", f -> new ClientFrame.SetConversationStatus(f.id("conversationId"),
                    f.requiredString("status", 16))),
            Map.entry("message", f -> new ClientFrame.AgentMessage(f.id("conversationId"),
                    f.requiredString("clientMsgId", MAX_CLIENT_MSG_ID), kind(f), f.text("text", false),
                    f.optionalId("attachmentId"), f.optionalObject("payload"))),
            Map.entry("note", f -> new ClientFrame.AddNote(f.id("conversationId"),
                    f.requiredString("clientMsgId", MAX_CLIENT_MSG_ID), f.text("text", true))),
            Map.entry("invite", f -> new ClientFrame.CreateInvite(f.id("conversationId"), f.requiredString("kind", 32))),
            Map.entry("invite.end", f -> new ClientFrame.EndInvite(f.id("inviteId"))),
            Map.entry("textblocks.search", f -> new ClientFrame.SearchTextBlocks(f.optionalString("q", 200))),
            Map.entry("typing", f -> new ClientFrame.Typing(f.id("conversationId"), f.requiredBoolean("on"))),
            Map.entry("read", f -> new ClientFrame.Read(f.id("conversationId"), f.requiredLong("seq", 0, Long.MAX_VALUE))),
            Map.entry("ping", f -> new ClientFrame.Ping()));

    /** The socket role a decoder serves; each has its own table. */
    public enum Role { CUSTOMER, AGENT }

    private final Map<String, Function<Fields, ClientFrame>> table;
    private final int maxTextChars;

    public FrameDecoder(Role role, int maxTextChars) {
        this.table = role == Role.CUSTOMER ? CUSTOMER : AGENT;
        this.maxTextChars = maxTextChars;
    }

    /**
     * Decodes one text frame. On failure the thrown {@link BadFrame} carries the {@code ref} when it
     * could be read, so the error reply can still name it.
     */
    public Decoded decode(String text) {
        JsonObject json;
        try {
            json = JsonWire.decode(text);
        } catch (DecodeException | ClassCastException e) {
            throw new BadFrame(null, "the frame is not a JSON object");
        }
        Object rawRef = json.getValue("ref");
        if (rawRef != null && (!(rawRef instanceof String r) || r.length() > MAX_REF)) {
            throw new BadFrame(null, "ref must be a string of at most " + MAX_REF + " characters");
        }
        String ref = (String) rawRef;
        Object type = json.getValue("type");
        if (!(type instanceof String t)) {
            throw new BadFrame(ref, "type is required");
        }
        Function<Fields, ClientFrame> decoder = table.get(t);
        if (decoder == null) {
            throw new BadFrame(ref, "unknown type: " + (t.length() > 40 ? t.substring(0, 40) + "…" : t));
        }
        try {
            return new Decoded(ref, t, decoder.apply(new Fields(json, maxTextChars)));
        } catch (Failure f) {
            throw new BadFrame(ref, f.getMessage());
        }
    }

    private static String kind(Fields f) {
        String k = f.optionalString("kind", 16);
        return k == null ? "text" : k;
    }

    /** A frame that could not be decoded; always {@code bad_request}. */
    public static final class BadFrame extends RuntimeException {
        private final String ref;

        BadFrame(String ref, String message) {
            super(message, null, false, false);
            this.ref = ref;
        }

        public String ref() {
            return ref;
        }
    }
}
