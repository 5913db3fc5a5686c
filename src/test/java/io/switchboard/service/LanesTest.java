package io.switchboard.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LanesTest {

    @Test
    void jobsOfOneKeyRunOneAfterAnotherInOrderWhileOtherKeysRunAtOnce() {
        Lanes lanes = new Lanes();
        List<String> started = new ArrayList<>();
        Promise<Void> first = Promise.promise();
        Promise<Void> other = Promise.promise();
        lanes.submit("c1", () -> {
            started.add("c1-a");
            return first.future();
        });
        Future<String> second = lanes.submit("c1", () -> {
            started.add("c1-b");
            return Future.succeededFuture("b");
        });
        lanes.submit("c2", () -> {
            started.add("c2-a");
            return other.future();
        });
        assertThat(started).containsExactly("c1-a", "c2-a");
        assertThat(second.isComplete()).isFalse();
        first.complete();
        assertThat(started).containsExactly("c1-a", "c2-a", "c1-b");
        assertThat(second.result()).isEqualTo("b");
        other.complete();
    }

    @Test
    void aFailedJobDoesNotStopTheLaneAndIdleCompletesWhenTheLastJobEnds() {
        Lanes lanes = new Lanes();
        Promise<Void> slow = Promise.promise();
        Future<Void> failing = lanes.submit("c1", () -> {
            throw new IllegalStateException("boom");
        });
        Future<Void> after = lanes.submit("c1", () -> slow.future());
        assertThat(failing.failed()).isTrue();
        Future<Void> idle = lanes.idle();
        assertThat(idle.isComplete()).isFalse();
        slow.complete();
        assertThat(after.succeeded()).isTrue();
        assertThat(idle.succeeded()).isTrue();
        assertThat(lanes.idle().succeeded()).as("idle at once when nothing runs").isTrue();
    }
}
