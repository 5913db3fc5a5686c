package io.switchboard.domain;

/** An agent's role in its workspace. */
public enum Role {
    ADMIN, AGENT;

    public String wire() {
        return this == ADMIN ? "admin" : "agent";
    }

    public static Role fromWire(String s) {
        return switch (s) {
            case "admin" -> ADMIN;
            case "agent" -> AGENT;
            default -> throw Failure.badRequest("role must be admin or agent");
        };
    }
}
