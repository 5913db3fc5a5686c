package io.switchboard.bus;

import io.switchboard.testing.Ws;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several nodes' directories on one Vert.x (its local event bus stands in for the cluster's), and
 * a cluster manager the test drives: who knows which topics, when peers come, go, stall and forget.
 */
class DirectoryTest {
    /** Long enough that no answer in these tests times out: a test that needs a failure makes one. */
    private static final long ANSWER_MS = 60_000;

    private Vertx vertx;
    private final List<String> cluster = new CopyOnWriteArrayList<>();
    private final AtomicInteger unanswered = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    @Test
    void aNodeKnowsOfAnotherNodesJoinOnceItIsHeldAndOfItsLeave() {
        Node a = start("a");
        Node b = start("b");

        await(b.directory.hold(List.of("v:1", "a:7")));

        assertThat(a.directory.nodesFor(List.of("v:1"))).containsExactly("b");
        assertThat(a.directory.nodesFor(List.of("w:3", "a:7"))).containsExactly("b");
        assertThat(b.directory.nodesFor(List.of("v:1"))).isEmpty();
        b.directory.release(List.of("v:1"));
        Ws.awaitAll("a hears of b's leave", () -> a.directory.nodesFor(List.of("v:1")).isEmpty());
        assertThat(a.directory.nodesFor(List.of("a:7"))).containsExactly("b");
    }

    @Test
    void aNodeWhoseOwnJoinIsStillOnItsWayNamesTheTopicInItsAnswerToAnothersJoin() throws InterruptedException {
        Node a = start("a");
        Node b = start("b");
        // b hears of a's join of v:1 only when the test lets it in: a slow round, as under a burst of connects.
        BlockingQueue<Runnable> heldBack = new LinkedBlockingQueue<>();
        Handler<DeliveryContext<Object>> holdBack = ctx -> {
            if ("sb.dir.b".equals(ctx.message().address()) && ctx.message().body() instanceof JsonObject body
                    && body.getJsonArray("changes", new JsonArray()).contains("+v:1")) {
                Context here = Vertx.currentContext();
                heldBack.add(() -> here.runOnContext(v -> ctx.next()));
            } else {
                ctx.next();
            }
        };
        vertx.eventBus().addOutboundInterceptor(holdBack);
        Future<Void> aJoins = a.directory.hold(List.of("v:1"));
        Runnable letIn = heldBack.poll(10, TimeUnit.SECONDS);
        assertThat(letIn).as("a's join on its way to b").isNotNull();
        assertThat(b.directory.nodesFor(List.of("v:1"))).isEmpty();

        await(b.directory.hold(List.of("v:1")));

        assertThat(b.directory.nodesFor(List.of("v:1"))).as("from a's answer").containsExactly("a");
        assertThat(a.directory.nodesFor(List.of("v:1"))).containsExactly("b");
        letIn.run();
        await(aJoins);
        vertx.eventBus().removeOutboundInterceptor(holdBack);
        // What the answer named, a's leave takes back.
        a.directory.release(List.of("v:1"));
        Ws.awaitAll("b hears of a's leave", () -> b.directory.nodesFor(List.of("v:1")).isEmpty());
        assertThat(a.directory.nodesFor(List.of("v:1"))).containsExactly("b");
    }

    @Test
    void aNodeThatStartsLaterKnowsWhatTheOthersHoldOnceStarted() {
        Node a = start("a");
        await(a.directory.hold(List.of("v:1")));
        Node c = start("c");

        assertThat(c.directory.nodesFor(List.of("v:1"))).containsExactly("a");
        await(c.directory.hold(List.of("v:2")));
        assertThat(a.directory.nodesFor(List.of("v:2"))).containsExactly("c");
    }

    @Test
    void aNodeThatSaysByeIsForgotten() {
        Node a = start("a");
        Node b = start("b");
        await(b.directory.hold(List.of("v:1")));

        await(b.directory.stop());

        // Said and answered before stop completes: the event bus may close right after.
        assertThat(a.directory.nodesFor(List.of("v:1"))).isEmpty();
        await(b.directory.hold(List.of("v:2")));
        assertThat(a.directory.nodesFor(List.of("v:2"))).as("a stopped node sends nothing more").isEmpty();
        // The cluster manager tells of it too, later: a node that said bye had sent all it had, and is not lost.
        cluster.remove("b");
        a.members.left("b");
        await(a.directory.hold(List.of("v:3")));
        assertThat(a.lost).isEmpty();
    }

    @Test
    void aNodeTheClusterManagerDropsWithoutAByeIsLostOnceAndItsTopicsAreGoneByThen() {
        Node a = start("a");
        Node b = start("b");
        Node c = start("c");
        await(b.directory.hold(List.of("v:1")));
        assertThat(c.lost).isEmpty();

        cluster.remove("b");
        a.members.left("b");
        c.members.left("b");
        a.members.left("b"); // a manager may say it twice

        Ws.awaitAll("a and c hear b is lost", () -> a.lost.equals(List.of("b")) && c.lost.equals(List.of("b")));
        assertThat(a.directory.nodesFor(List.of("v:1"))).isEmpty();
        assertThat(b.lost).as("b heard nothing of its own loss").isEmpty();
    }

    @Test
    void aMemberDroppedBeforeItHadADirectoryIsNotLost() {
        Node a = start("a");
        cluster.add("starting");
        a.members.added("starting");
        cluster.remove("starting");
        a.members.left("starting");
        await(a.directory.hold(List.of("v:1")));
        assertThat(a.lost).as("it never served").isEmpty();
    }

    @Test
    void twoNodesThatMeetAgainTellEachOtherEverythingWithoutWaitingForAWrite() {
        Node a = start("a");
        Node b = start("b");
        await(b.directory.hold(List.of("v:1")));
        await(a.directory.hold(List.of("v:2")));

        // Only a thought b gone (a split that healed, say); b knew a all along.
        a.members.left("b");
        Ws.awaitAll("a forgets b", () -> a.directory.nodesFor(List.of("v:1")).isEmpty());
        a.members.added("b");

        Ws.awaitAll("a knows b's topics again", () -> a.directory.nodesFor(List.of("v:1")).equals(Set.of("b")));
        assertThat(b.directory.nodesFor(List.of("v:2"))).containsExactly("a");
        assertThat(unanswered.get()).isZero();
    }

    @Test
    void aNodeTheClusterManagerDropsIsForgottenAndIfAliveSyncedAgainWhenItWrites() {
        Node a = start("a");
        Node b = start("b");
        await(b.directory.hold(List.of("v:1")));

        cluster.remove("b");
        a.members.left("b");
        Ws.awaitAll("a forgets b", () -> a.directory.nodesFor(List.of("v:1")).isEmpty());

        // b was alive all along (a network split, say): its next change tells a that it exists, and a asks for everything.
        await(b.directory.hold(List.of("v:2")));
        Ws.awaitAll("a knows all of b's topics again", () -> a.directory.nodesFor(List.of("v:1")).equals(Set.of("b")));
        assertThat(a.directory.nodesFor(List.of("v:2"))).containsExactly("b");
        await(a.directory.hold(List.of("v:3")));
        assertThat(b.directory.nodesFor(List.of("v:3"))).containsExactly("a");
    }

    @Test
    void aPeerThatFailsToAnswerIsSentEverythingAndNotWaitedForUntilItAnswers() throws InterruptedException {
        // c is a node the test plays by hand: it answers, or not, as the test says.
        BlockingQueue<Message<JsonObject>> toC = new LinkedBlockingQueue<>();
        Node a = startBesideHandPlayedC(toC);

        Future<Void> firstJoin = a.directory.hold(List.of("v:1"));
        Message<JsonObject> changes = next(toC);
        assertThat(changes.body().getString("op")).isEqualTo("changes");
        assertThat(changes.body().getJsonArray("changes").getList()).containsExactly("+v:1");
        changes.fail(500, "stalled");
        await(firstJoin);
        assertThat(unanswered.get()).isEqualTo(1);
        Message<JsonObject> sync = next(toC);
        assertThat(sync.body().getString("op")).isEqualTo("topics");
        assertThat(sync.body().getJsonArray("topics").getList()).containsExactly("v:1");

        // Late, c is not waited for (its sync is unanswered, and would not time out within this test).
        await(a.directory.hold(List.of("v:2")));
        assertThat(toC).isEmpty();

        sync.reply(null);
        Message<JsonObject> again = next(toC);
        assertThat(again.body().getString("op")).isEqualTo("topics");
        assertThat(again.body().getJsonArray("topics").getList()).containsExactlyInAnyOrder("v:1", "v:2");
        again.reply(null);

        // Answered, c is sent changes again, and waited for.
        joinWaitsForTheAnswer(a, toC, "v:3");
        assertThat(unanswered.get()).isEqualTo(1);
    }

    @Test
    void aNodeOfTheVersionBeforeIsAnsweredAndItsChangesKept() throws InterruptedException {
        Node a = start("a");
        BlockingQueue<Message<JsonObject>> toOld = new LinkedBlockingQueue<>();
        await(vertx.eventBus().<JsonObject>consumer("sb.dir.old", toOld::add).completion());

        // Version 1 carried no "v"; its node waits for this answer before it greets its socket.
        await(vertx.eventBus().request("sb.dir.a", new JsonObject().put("op", "changes").put("node", "old")
                .put("changes", new JsonArray().add("+v:1"))));

        assertThat(a.directory.nodesFor(List.of("v:1"))).containsExactly("old");
        Message<JsonObject> sync = next(toOld);
        assertThat(sync.body().getString("op")).as("what a holds, which version 1 takes too").isEqualTo("topics");
        assertThat(sync.replyAddress()).as("version 1 does not answer a sync: it is sent, not asked").isNull();

        // Changes it answers, and is waited for.
        joinWaitsForTheAnswer(a, toOld, "v:2");
        assertThat(unanswered.get()).isZero();
    }

    @Test
    void aMemberWithNoDirectoryYetIsNotWaitedForNorCountedAndIsToldOnceItHasOne() {
        cluster.add("z");
        // Were z waited for, this would take ANSWER_MS, past await's 10 s.
        Node a = start("a");
        await(a.directory.hold(List.of("v:1")));

        Node z = start("z");
        assertThat(z.directory.nodesFor(List.of("v:1"))).containsExactly("a");
        await(z.directory.hold(List.of("v:9")));
        assertThat(a.directory.nodesFor(List.of("v:9"))).containsExactly("z");
        assertThat(unanswered.get()).isZero();
    }

    @Test
    void aRoundInFlightToANodeThatDiesEndsWhenTheClusterManagerDropsIt() throws InterruptedException {
        // c is played by hand: it answers a's first sync, then dies (killed) with a's round unanswered.
        BlockingQueue<Message<JsonObject>> toC = new LinkedBlockingQueue<>();
        Node a = startBesideHandPlayedC(toC);

        Future<Void> join = a.directory.hold(List.of("v:1"));
        assertThat(next(toC).body().getJsonArray("changes").getList()).containsExactly("+v:1");
        Future<Void> queuedBehind = a.directory.hold(List.of("v:2"));
        cluster.remove("c");
        a.members.left("c");

        // Were c waited for, these would take ANSWER_MS (a minute), past await's 10 s.
        await(join);
        await(queuedBehind);
        await(a.directory.hold(List.of("v:3")));
        assertThat(unanswered.get()).isZero();
        assertThat(toC).as("the rounds after c was dropped did not go to it").isEmpty();
    }

    @Test
    void aPeerThatNeverAnswersTimesOutOnceAndIsNotWaitedForThen() throws InterruptedException {
        BlockingQueue<Message<JsonObject>> toC = new LinkedBlockingQueue<>();
        await(vertx.eventBus().<JsonObject>consumer("sb.dir.c", toC::add).completion());
        cluster.add("c");

        Node a = await(startAsync("a", 300));

        assertThat(next(toC).body().getString("op")).isEqualTo("topics");
        assertThat(unanswered.get()).isEqualTo(1);
        await(a.directory.hold(List.of("v:1")));
        Message<JsonObject> again = next(toC);
        assertThat(again.body().getString("op")).as("sent everything again, not a change").isEqualTo("topics");
        assertThat(again.body().getJsonArray("topics").getList()).containsExactly("v:1");
    }

    @Test
    void aMalformedMessageIsRefusedAndChangesNothing() {
        Node a = start("a");

        Future<Message<Object>> noNode = vertx.eventBus().request("sb.dir.a", new JsonObject().put("op", "changes")
                .put("changes", new JsonArray().add("+v:1")));
        Future<Message<Object>> noOp = vertx.eventBus().request("sb.dir.a", new JsonObject().put("node", "x"));
        Future<Message<Object>> unknownOp = vertx.eventBus().request("sb.dir.a", new JsonObject().put("op", "hello")
                .put("v", 2).put("node", "x"));

        for (Future<Message<Object>> f : List.of(noNode, noOp, unknownOp)) {
            assertThat(awaitFailure(f)).isInstanceOf(ReplyException.class)
                    .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(400));
        }
        assertThat(a.directory.nodesFor(List.of("v:1"))).isEmpty();
        await(a.directory.hold(List.of("v:2")));
    }

    /** @param lost the peers this node was told it lost (left without a bye) */
    private record Node(Directory directory, FakeMembers members, List<String> lost) {
    }

    private Node start(String id) {
        return await(startAsync(id));
    }

    private Future<Node> startAsync(String id) {
        return startAsync(id, ANSWER_MS);
    }

    private Future<Node> startAsync(String id, long answerMs) {
        if (!cluster.contains(id)) {
            cluster.add(id);
        }
        FakeMembers members = new FakeMembers(id);
        List<String> lost = new CopyOnWriteArrayList<>();
        Directory d = new Directory(vertx, members, answerMs, unanswered::incrementAndGet, lost::add);
        return d.start().map(v -> new Node(d, members, lost));
    }

    /** Starts a beside c, a node the test plays by hand (what a sends it lands in {@code toC}): both have met, and c holds nothing. */
    private Node startBesideHandPlayedC(BlockingQueue<Message<JsonObject>> toC) throws InterruptedException {
        await(vertx.eventBus().<JsonObject>consumer("sb.dir.c", toC::add).completion());
        cluster.add("c");
        Future<Node> starting = startAsync("a");
        Message<JsonObject> first = next(toC);
        assertThat(first.body().getString("op")).isEqualTo("topics");
        first.reply(null);
        vertx.eventBus().request("sb.dir.a", new JsonObject().put("op", "topics").put("v", 3).put("node", "c").put("topics", new JsonArray()));
        return await(starting);
    }

    /** {@code a} holds {@code topic}: the hand-played peer is sent the join, and the hold completes only once it answers. */
    private static void joinWaitsForTheAnswer(Node a, BlockingQueue<Message<JsonObject>> toPeer, String topic)
            throws InterruptedException {
        Future<Void> join = a.directory.hold(List.of(topic));
        Message<JsonObject> changes = next(toPeer);
        assertThat(changes.body().getJsonArray("changes").getList()).containsExactly("+" + topic);
        assertThat(join.isComplete()).isFalse();
        changes.reply(null);
        await(join);
    }

    private static Message<JsonObject> next(BlockingQueue<Message<JsonObject>> queue) throws InterruptedException {
        Message<JsonObject> m = queue.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a message to c").isNotNull();
        return m;
    }

    private static Throwable awaitFailure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The test's cluster manager: every node sees {@link #cluster}; the test says who left. */
    private final class FakeMembers implements Members {
        private final String self;
        private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

        FakeMembers(String self) {
            this.self = self;
        }

        void left(String node) {
            listeners.forEach(l -> l.nodeLeft(node));
        }

        void added(String node) {
            listeners.forEach(l -> l.nodeAdded(node));
        }

        @Override
        public String self() {
            return self;
        }

        @Override
        public List<String> all() {
            return List.copyOf(cluster);
        }

        @Override
        public void listen(NodeListener listener) {
            listeners.add(listener);
        }
    }
}
