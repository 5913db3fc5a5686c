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

    @Test
    void pipelinedWorkEntersBeforeTheWorkAheadIsDoneAndFinishesInOrder() {
        Lanes lanes = new Lanes();
        List<String> steps = new ArrayList<>();
        Promise<String> firstRest = Promise.promise();
        Promise<String> secondRest = Promise.promise();
        Future<String> first = recorded(lanes, steps, "1", firstRest.future());
        Future<String> second = recorded(lanes, steps, "2", secondRest.future());
        Future<String> strict = lanes.submit("c1", () -> {
            steps.add("strict");
            return Future.succeededFuture("s");
        });
        assertThat(steps).as("the second enters while the first is under way; strict work waits for both")
                .containsExactly("enter-1", "enter-2");
        secondRest.complete("2");
        assertThat(second.isComplete()).as("the second may not finish before the first").isFalse();
        firstRest.complete("1");
        assertThat(steps).containsExactly("enter-1", "enter-2", "finish-1", "finish-2", "strict");
        assertThat(first.result()).isEqualTo("1");
        assertThat(second.result()).isEqualTo("2");
        assertThat(strict.result()).isEqualTo("s");
        assertThat(lanes.idle().succeeded()).isTrue();
    }

    /**
     * What the callers do on each work's result (write its ack) happens in the lane's order too, also
     * when many works wait behind one and then finish in one go. The next work's finish used to run
     * from inside the lane's own listener on this work's result, before the caller's: the callers then
     * heard in reverse (BatchedWritesIT saw an agent's acks leave as 0, 39, 38, ..., 1).
     */
    @Test
    void theCallersHearInTheLanesOrderWhenWorkThatWaitedFinishesAtOnce() {
        Lanes lanes = new Lanes();
        List<String> heard = new ArrayList<>();
        Promise<String> firstRest = Promise.promise();
        lanes.pipeline("c1", () -> Future.succeededFuture(firstRest.future()), r -> r).onComplete(ar -> heard.add(ar.result()));
        for (int i = 1; i < 10; i++) {
            String name = String.valueOf(i);
            lanes.pipeline("c1", () -> Future.succeededFuture(Future.succeededFuture(name)), r -> r)
                    .onComplete(ar -> heard.add(ar.result()));
        }
        assertThat(heard).isEmpty();
        firstRest.complete("0");
        assertThat(heard).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(lanes.idle().succeeded()).isTrue();
    }

    /** Pipelined work on "c1" whose rest is {@code rest}, noting when it enters and finishes. */
    private static Future<String> recorded(Lanes lanes, List<String> steps, String name, Future<String> rest) {
        return lanes.pipeline("c1", () -> {
            steps.add("enter-" + name);
            return Future.succeededFuture(rest);
        }, r -> {
            steps.add("finish-" + r);
            return r;
        });
    }

    @Test
    void aPipelinedFailureFailsOnlyItsOwnWorkAfterTheWorkAheadFinished() {
        Lanes lanes = new Lanes();
        Promise<String> firstRest = Promise.promise();
        Future<String> first = lanes.pipeline("c1", () -> Future.succeededFuture(firstRest.future()), r -> r);
        Future<String> refusedAtEntry = lanes.<String, String>pipeline("c1", () -> {
            throw new IllegalArgumentException("bad input");
        }, r -> r);
        Future<String> failedUnderWay = lanes.pipeline("c1",
                () -> Future.succeededFuture(Future.<String>failedFuture(new IllegalStateException("rolled back"))), r -> r);
        Future<String> last = lanes.pipeline("c1", () -> Future.succeededFuture(Future.succeededFuture("last")), r -> r);
        assertThat(refusedAtEntry.isComplete()).as("its error still leaves after the work ahead").isFalse();
        firstRest.complete("1");
        assertThat(first.result()).isEqualTo("1");
        assertThat(refusedAtEntry.cause()).hasMessage("bad input");
        assertThat(failedUnderWay.cause()).hasMessage("rolled back");
        assertThat(last.result()).isEqualTo("last");
        assertThat(lanes.idle().succeeded()).isTrue();
    }

    /** Even an Error thrown by a finish fails only its work: the key's next work still runs. */
    @Test
    void aFinishThatThrowsAnErrorDoesNotStopTheLane() {
        Lanes lanes = new Lanes();
        Future<String> broken = lanes.<String, String>pipeline("c1", () -> Future.succeededFuture(Future.succeededFuture("x")), r -> {
            throw new AssertionError("finish broke");
        });
        Future<String> next = lanes.pipeline("c1", () -> Future.succeededFuture(Future.succeededFuture("next")), r -> r);
        assertThat(broken.cause()).hasMessage("finish broke");
        assertThat(next.result()).isEqualTo("next");
        assertThat(lanes.idle().succeeded()).isTrue();
    }
}
