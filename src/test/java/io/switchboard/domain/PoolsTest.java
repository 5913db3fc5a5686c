package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PoolsTest {

    @Test
    void aConversationWaitsInItsTeamOrInItsWorkspaceWhenItHasNone() {
        assertThat(Pools.of("w1", "t1")).isEqualTo("t1");
        assertThat(Pools.of("w1", null)).isEqualTo("ws-w1");
        assertThat(Pools.teamOf("t1")).isEqualTo("t1");
        assertThat(Pools.teamOf("ws-w1")).isNull();
    }

    @Test
    void anAgentServesEachOfItsTeamsAndItsWorkspacesConversationsWithNoTeam() {
        Principal p = new Principal("a", "w1", "A", Role.AGENT, Set.of("t1", "t2"));
        assertThat(Pools.of(p)).containsExactlyInAnyOrder("t1", "t2", "ws-w1");
    }
}
