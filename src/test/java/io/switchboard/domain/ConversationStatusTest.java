package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import static io.switchboard.domain.ConversationStatus.DONE;
import static io.switchboard.domain.ConversationStatus.OPEN;
import static io.switchboard.domain.ConversationStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationStatusTest {

    @Test
    void openAndPendingMoveBothWaysAndBothMayBeResolved() {
        assertThat(OPEN.canMoveTo(PENDING)).isTrue();
        assertThat(PENDING.canMoveTo(OPEN)).isTrue();
        assertThat(OPEN.canMoveTo(DONE)).isTrue();
        assertThat(PENDING.canMoveTo(DONE)).isTrue();
    }

    @Test
    void aDoneConversationCanOnlyBeReopened() {
        assertThat(DONE.canMoveTo(OPEN)).isTrue();
        assertThat(DONE.canMoveTo(PENDING)).isFalse();
    }

    @Test
    void stayingInTheSameStatusIsAllowed() {
        for (ConversationStatus s : ConversationStatus.values()) {
            assertThat(s.canMoveTo(s)).isTrue();
        }
    }

    @Test
    void sourcesOfATargetAreExactlyTheStatusesThatMayReachIt() {
        assertThat(ConversationStatus.sourcesOf(DONE)).containsExactlyInAnyOrder(OPEN, PENDING, DONE);
        assertThat(ConversationStatus.sourcesOf(PENDING)).containsExactlyInAnyOrder(OPEN, PENDING);
        assertThat(ConversationStatus.sourcesOf(OPEN)).containsExactlyInAnyOrder(OPEN, PENDING, DONE);
    }

    @Test
    void onlyDoneRefusesMessages() {
        assertThat(OPEN.acceptsMessages()).isTrue();
        assertThat(PENDING.acceptsMessages()).isTrue();
        assertThat(DONE.acceptsMessages()).isFalse();
    }

    @Test
    void wireNamesRoundTripAndUnknownOnesAreBadRequests() {
        for (ConversationStatus s : ConversationStatus.values()) {
            assertThat(ConversationStatus.fromWire(s.wire())).isEqualTo(s);
        }
        assertThatThrownBy(() -> ConversationStatus.fromWire("closed"))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }
}
