package io.switchboard.domain;

/** A knowledge-base article an agent can send; the customer gets its title, URL and a snippet. */
public record Article(String id, String title, String body, String url) {
}
