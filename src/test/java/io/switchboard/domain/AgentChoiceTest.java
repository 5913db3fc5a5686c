package io.switchboard.domain;

import io.switchboard.domain.AgentChoice.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.switchboard.domain.AgentStatus.AWAY;
import static io.switchboard.domain.AgentStatus.ONLINE;
import static org.assertj.core.api.Assertions.assertThat;

class AgentChoiceTest {

    @Test
    void theLeastLoadedOnlineAgentWithFreeCapacityIsChosen() {
        assertThat(AgentChoice.pick(List.of(
                new Candidate("a", ONLINE, 2, 5, 10),
                new Candidate("b", ONLINE, 1, 5, 20),
                new Candidate("c", ONLINE, 3, 5, 0))).orElseThrow().agentId()).isEqualTo("b");
    }

    @Test
    void amongEquallyLoadedAgentsTheLongestIdleIsChosenThenTheSmallestId() {
        assertThat(AgentChoice.pick(List.of(
                new Candidate("a", ONLINE, 1, 5, 300),
                new Candidate("b", ONLINE, 1, 5, 100),
                new Candidate("c", ONLINE, 1, 5, 200))).orElseThrow().agentId()).isEqualTo("b");
        assertThat(AgentChoice.pick(List.of(
                new Candidate("z", ONLINE, 0, 5, 0),
                new Candidate("y", ONLINE, 0, 5, 0))).orElseThrow().agentId()).isEqualTo("y");
    }

    @Test
    void agentsAtCapacityOrNotOnlineAreNeverChosen() {
        assertThat(AgentChoice.pick(List.of(
                new Candidate("full", ONLINE, 3, 3, 0),
                new Candidate("away", AWAY, 0, 3, 0),
                new Candidate("offline", AgentStatus.OFFLINE, 0, 3, 0)))).isEmpty();
        assertThat(AgentChoice.pick(List.of(
                new Candidate("full", ONLINE, 3, 3, 0),
                new Candidate("busy", ONLINE, 4, 5, 99))).orElseThrow().agentId()).isEqualTo("busy");
    }

    @Test
    void fifteenSlotsOfFiveAgentsWithCapacityThreeFillEvenly() {
        int[] load = new int[5];
        long[] idle = new long[5];
        for (int i = 0; i < 100; i++) {
            List<Candidate> candidates = new java.util.ArrayList<>();
            for (int a = 0; a < 5; a++) {
                candidates.add(new Candidate("agent" + a, ONLINE, load[a], 3, idle[a]));
            }
            var chosen = AgentChoice.pick(candidates);
            if (chosen.isEmpty()) {
                assertThat(i).as("the 16th conversation waits").isEqualTo(15);
                break;
            }
            int a = Integer.parseInt(chosen.get().agentId().substring(5));
            load[a]++;
            idle[a] = i + 1;
        }
        assertThat(load).containsOnly(3);
    }
}
