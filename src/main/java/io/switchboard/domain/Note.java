package io.switchboard.domain;

/** An internal note: agents only, never a seq, never anything a customer can obtain. */
public record Note(String id, String conversationId, long at, Ref author, String text, String clientMsgId) {
}
