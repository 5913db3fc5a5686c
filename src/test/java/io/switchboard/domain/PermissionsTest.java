package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PermissionsTest {
    private static final String WS = "ws1";
    private static final Principal ADMIN = new Principal("admin", WS, "Admin", Role.ADMIN, Set.of());
    private static final Principal MEMBER = new Principal("member", WS, "Member", Role.AGENT, Set.of("support"));
    private static final Principal OUTSIDER = new Principal("outsider", WS, "Outsider", Role.AGENT, Set.of("sales"));
    private static final Principal STRANGER = new Principal("stranger", "ws2", "Stranger", Role.ADMIN, Set.of("support"));

    private static ConversationState conv(String team, String assignee, ConversationStatus status) {
        return new ConversationState("c1", WS, "visitor1", team, assignee, status);
    }

    private static void assertRefused(Runnable r, ErrorCode code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(code));
    }

    @Test
    void teamMembersAdminsAndTheAssigneeSeeAConversationOthersDoNot() {
        ConversationState c = conv("support", "outsider", ConversationStatus.OPEN);
        assertThat(Permissions.canSee(MEMBER, c)).isTrue();
        assertThat(Permissions.canSee(ADMIN, c)).isTrue();
        assertThat(Permissions.canSee(OUTSIDER, c)).as("the assignee, though outside the team").isTrue();
        assertThat(Permissions.canSee(OUTSIDER, conv("support", null, ConversationStatus.OPEN))).isFalse();
        assertRefused(() -> Permissions.checkCanSee(OUTSIDER, conv("support", null, ConversationStatus.OPEN)), ErrorCode.FORBIDDEN);
    }

    @Test
    void aConversationWithNoTeamIsOpenToEveryAgentOfTheWorkspace() {
        assertThat(Permissions.canSee(OUTSIDER, conv(null, null, ConversationStatus.OPEN))).isTrue();
    }

    @Test
    void anotherWorkspaceDoesNotLearnThatTheConversationExists() {
        assertRefused(() -> Permissions.checkCanSee(STRANGER, conv("support", null, ConversationStatus.OPEN)), ErrorCode.NOT_FOUND);
        assertRefused(() -> Permissions.checkCanSend(STRANGER, conv("support", null, ConversationStatus.OPEN)), ErrorCode.NOT_FOUND);
    }

    @Test
    void onlyTheAssigneeOrAnAdminWritesToTheCustomerAndNotAfterDone() {
        assertThatCode(() -> Permissions.checkCanSend(MEMBER, conv("support", "member", ConversationStatus.OPEN))).doesNotThrowAnyException();
        assertThatCode(() -> Permissions.checkCanSend(ADMIN, conv("support", "member", ConversationStatus.PENDING))).doesNotThrowAnyException();
        assertRefused(() -> Permissions.checkCanSend(MEMBER, conv("support", null, ConversationStatus.OPEN)), ErrorCode.FORBIDDEN);
        assertRefused(() -> Permissions.checkCanSend(MEMBER, conv("support", "other", ConversationStatus.OPEN)), ErrorCode.FORBIDDEN);
        assertRefused(() -> Permissions.checkCanSend(MEMBER, conv("support", "member", ConversationStatus.DONE)), ErrorCode.CONFLICT);
    }

    @Test
    void claimingIsForThoseWhoMaySeeItWhileNobodyElseHoldsIt() {
        assertThatCode(() -> Permissions.checkCanClaim(MEMBER, conv("support", null, ConversationStatus.OPEN))).doesNotThrowAnyException();
        assertThatCode(() -> Permissions.checkCanClaim(MEMBER, conv("support", "member", ConversationStatus.OPEN)))
                .as("claiming one's own again").doesNotThrowAnyException();
        assertRefused(() -> Permissions.checkCanClaim(MEMBER, conv("support", "other", ConversationStatus.OPEN)), ErrorCode.CONFLICT);
        assertRefused(() -> Permissions.checkCanClaim(OUTSIDER, conv("support", null, ConversationStatus.OPEN)), ErrorCode.FORBIDDEN);
        assertRefused(() -> Permissions.checkCanClaim(MEMBER, conv("support", null, ConversationStatus.DONE)), ErrorCode.CONFLICT);
    }

    @Test
    void statusChangesFollowTheStateMachineAndBelongToTheAssigneeOrAnAdmin() {
        assertThatCode(() -> Permissions.checkCanChangeStatus(MEMBER, conv("support", "member", ConversationStatus.OPEN),
                ConversationStatus.DONE)).doesNotThrowAnyException();
        assertThatCode(() -> Permissions.checkCanChangeStatus(ADMIN, conv("support", null, ConversationStatus.DONE),
                ConversationStatus.OPEN)).doesNotThrowAnyException();
        assertRefused(() -> Permissions.checkCanChangeStatus(MEMBER, conv("support", "other", ConversationStatus.OPEN),
                ConversationStatus.DONE), ErrorCode.FORBIDDEN);
        assertRefused(() -> Permissions.checkCanChangeStatus(MEMBER, conv("support", "member", ConversationStatus.DONE),
                ConversationStatus.PENDING), ErrorCode.CONFLICT);
    }

    @Test
    void aVisitorReadsOnlyItsOwnConversations() {
        assertThatCode(() -> Permissions.checkVisitorOwns("visitor1", conv(null, null, ConversationStatus.OPEN))).doesNotThrowAnyException();
        assertRefused(() -> Permissions.checkVisitorOwns("visitor2", conv(null, null, ConversationStatus.OPEN)), ErrorCode.NOT_FOUND);
    }
}
