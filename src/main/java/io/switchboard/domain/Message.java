package io.switchboard.domain;

import java.util.Map;

/**
 * A customer-visible message. {@code seq} numbers the messages of one conversation 1, 2, 3 …
 * without gaps. {@code attachment}: the file of an image, video, audio or file message.
 * {@code payload} is kind-specific data (article, flow, text block).
 */
public record Message(String id, String conversationId, long seq, long at, String clientMsgId, Author author,
                      MessageKind kind, String text, AttachmentRef attachment, Map<String, Object> payload) {
}
