package io.switchboard.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TypingThrottleTest {

    @Test
    void typingOnIsRelayedOncePerIntervalPerConversationAndOffAlways() {
        TypingThrottle t = new TypingThrottle();
        assertThat(t.allow("c1", true)).isTrue();
        assertThat(t.allow("c1", true)).as("a keystroke later").isFalse();
        assertThat(t.allow("c2", true)).as("another conversation").isTrue();
        assertThat(t.allow("c1", false)).isTrue();
        assertThat(t.allow("c1", false)).isTrue();
        assertThat(t.allow("c1", true)).as("after off, on goes through again").isTrue();
    }
}
