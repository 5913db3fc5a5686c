package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;

import static org.assertj.core.api.Assertions.assertThat;

class SettledTest {

    /**
     * A customer's messages wait for each other through these futures, one per message: if each one
     * kept the one before reachable, a socket would keep every message it ever sent.
     */
    @Test
    void settledCompletesWithItsFutureAndDoesNotKeepIt() {
        Promise<String> answer = Promise.promise();
        Future<Void> settled = CustomerSession.settled(answer.future());
        assertThat(settled.isComplete()).isFalse();
        answer.fail("refused");
        assertThat(settled.succeeded()).as("settles on a failure too").isTrue();

        WeakReference<Future<String>> before = new WeakReference<>(answer.future());
        answer = null;
        for (int i = 0; i < 100 && before.get() != null; i++) {
            System.gc(); // until the collector has cleared the reference, or it never will
        }
        assertThat(before.get()).as("the answer is collectable while its settled future is held").isNull();
        assertThat(settled.succeeded()).isTrue();
    }

    @Test
    void aChainOfSettledAnswersKeepsNoneOfTheEarlierOnes() {
        Future<?> tail = Future.succeededFuture();
        WeakReference<Future<?>> first = null;
        for (int i = 0; i < 1_000; i++) {
            // As CustomerSession and ConversationService.customerMessage make them: the answer keeps
            // the function that, were the message refused, would wait for the one before.
            Future<Void> before = settled(tail);
            Promise<String> stored = Promise.promise();
            Future<String> answer = stored.future().recover(t -> before.map("reopened"));
            stored.complete("message " + i);
            if (i == 0) {
                first = new WeakReference<>(answer);
            }
            tail = answer;
        }
        for (int i = 0; i < 100 && first.get() != null; i++) {
            System.gc();
        }
        assertThat(first.get()).as("the first answer is collectable while the last is held").isNull();
        assertThat(tail.succeeded()).isTrue();
    }

    private static Future<Void> settled(Future<?> f) {
        return CustomerSession.settled(f);
    }
}
