package io.switchboard.domain;

/**
 * An uploaded file. Until it is sent in a message ({@code conversationId} null) only its uploader
 * may read it; afterwards whoever may see that conversation.
 *
 * @param uploaderType {@code customer} or {@code agent}
 * @param path         relative to the attachments directory
 */
public record Attachment(String id, String workspaceId, String uploaderType, String uploaderId, String conversationId,
                         String name, String contentType, long size, String path) {
    public AttachmentRef ref() {
        return new AttachmentRef(id, name, contentType, size);
    }
}
