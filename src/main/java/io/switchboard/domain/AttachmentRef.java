package io.switchboard.domain;

/** A file as a message shows it; its bytes are at {@code /api/attachments/{id}}. */
public record AttachmentRef(String id, String name, String contentType, long size) {
    public String url() {
        return "/api/attachments/" + id;
    }
}
