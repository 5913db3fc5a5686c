package io.switchboard.domain;

/**
 * How a pool's waiting conversations find an agent: {@code manual} rings every eligible agent and
 * the first "Assign to me" wins; {@code auto} assigns the best eligible agent at once.
 */
public enum RoutingPolicy {
    MANUAL, AUTO;

    public String wire() {
        return this == MANUAL ? "manual" : "auto";
    }

    public static RoutingPolicy fromWire(String s) {
        return switch (s) {
            case "manual" -> MANUAL;
            case "auto" -> AUTO;
            default -> throw Failure.badRequest("routing must be manual or auto");
        };
    }
}
