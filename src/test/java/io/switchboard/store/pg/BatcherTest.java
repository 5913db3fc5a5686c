package io.switchboard.store.pg;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The batcher's order of things, with a database the test answers by hand (no Vert.x context: all inline). */
class BatcherTest {
    private final List<List<String>> sent = new ArrayList<>();
    private final List<Promise<List<String>>> answers = new ArrayList<>();
    private final Batcher<String, String> batcher = new Batcher<>(inputs -> {
        sent.add(inputs);
        Promise<List<String>> answer = Promise.promise();
        answers.add(answer);
        return answer.future();
    }, 1);

    @Test
    void whatArrivesMeanwhileGoesOutAsOneBatchBeforeTheAnsweredBatchsCallersRun() {
        Future<String> a = batcher.submit("a");
        Future<String> b = batcher.submit("b");
        Future<String> c = batcher.submit("c");
        assertThat(sent).containsExactly(List.of("a"));
        List<Integer> sentWhenACompleted = new ArrayList<>();
        a.onComplete(ar -> sentWhenACompleted.add(sent.size()));

        answers.get(0).complete(List.of("A"));

        assertThat(a.result()).isEqualTo("A");
        assertThat(sentWhenACompleted).as("the next batch was out before a's caller ran").containsExactly(2);
        assertThat(sent.get(1)).containsExactly("b", "c");
        answers.get(1).complete(List.of("B", "C"));
        assertThat(b.result()).isEqualTo("B");
        assertThat(c.result()).isEqualTo("C");
    }

    @Test
    void aRolledBackBatchRunsEachCallAloneInOrderAndOnlyThenTheNextBatch() {
        batcher.submit("a");
        Future<String> b = batcher.submit("b");
        Future<String> c = batcher.submit("c");
        answers.get(0).complete(List.of("A"));
        Future<String> d = batcher.submit("d");

        answers.get(1).fail(new IllegalStateException("rolled back"));
        assertThat(sent.subList(2, sent.size())).containsExactly(List.of("b"));
        answers.get(2).complete(List.of("B"));
        answers.get(3).fail(new IllegalArgumentException("c's own error"));

        assertThat(b.result()).isEqualTo("B");
        assertThat(c.cause()).hasMessage("c's own error");
        assertThat(sent.subList(2, sent.size())).containsExactly(List.of("b"), List.of("c"), List.of("d"));
        answers.get(4).complete(List.of("D"));
        assertThat(d.result()).isEqualTo("D");
    }
}
