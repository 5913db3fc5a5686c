package io.switchboard.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The choice of agent for automatic routing: among the agents who are online and below their
 * capacity, the least loaded, then the longest idle (earliest last assignment), then the smallest id
 * (so the choice is deterministic). {@code assign.lua} applies the same rule atomically in Redis.
 */
public final class AgentChoice {

    /** What the choice knows of an agent. {@code idleSince}: epoch ms of its last assignment. */
    public record Candidate(String agentId, AgentStatus status, int load, int maxChats, long idleSince) {
        public boolean hasFreeCapacity() {
            return load < maxChats;
        }

        public boolean eligible() {
            return status == AgentStatus.ONLINE && hasFreeCapacity();
        }
    }

    private static final Comparator<Candidate> ORDER = Comparator.comparingInt(Candidate::load)
            .thenComparingLong(Candidate::idleSince)
            .thenComparing(Candidate::agentId);

    private AgentChoice() {
    }

    public static Optional<Candidate> pick(List<Candidate> candidates) {
        return candidates.stream().filter(Candidate::eligible).min(ORDER);
    }
}
