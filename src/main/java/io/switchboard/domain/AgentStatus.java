package io.switchboard.domain;

/** An agent's presence as others see it. Only {@code ONLINE} agents are alerted and routed to. */
public enum AgentStatus {
    ONLINE, AWAY, OFFLINE;

    public String wire() {
        return switch (this) {
            case ONLINE -> "online";
            case AWAY -> "away";
            case OFFLINE -> "offline";
        };
    }

    public static AgentStatus fromWire(String s) {
        return switch (s) {
            case "online" -> ONLINE;
            case "away" -> AWAY;
            case "offline" -> OFFLINE;
            default -> throw Failure.badRequest("status must be one of online, away, offline");
        };
    }
}
