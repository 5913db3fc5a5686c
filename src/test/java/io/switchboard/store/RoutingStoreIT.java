package io.switchboard.store;

import io.switchboard.domain.AgentChoice;
import io.switchboard.domain.AgentChoice.Candidate;
import io.switchboard.domain.AgentStatus;
import io.switchboard.store.redis.RedisKeys;
import io.switchboard.store.redis.RoutingStore;
import io.switchboard.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lua scripts against a real Redis: they apply the same rules as the plain Java ones. */
class RoutingStoreIT {
    private static Vertx vertx;
    private static Redis redis;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, TestServers.get().redisUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void releasingNeverTakesALoadBelowZero() {
        RedisKeys keys = new RedisKeys(TestServers.get().newRedisPrefix());
        RoutingStore store = new RoutingStore(redis, keys);
        await(redis.send(Request.cmd(Command.HSET).arg(keys.agent("a")).arg("load").arg(1)));
        await(store.release("a"));
        await(store.release("a"));
        assertThat(await(redis.send(Request.cmd(Command.HGET).arg(keys.agent("a")).arg("load"))).toInteger()).isZero();
    }

    @Test
    void positionsAreAnnouncedOnlyWhenTheyChange() {
        RoutingStore store = new RoutingStore(redis, new RedisKeys(TestServers.get().newRedisPrefix()));
        await(store.enqueue("p", "c1", 10));
        await(store.enqueue("p", "c2", 20));
        assertThat(await(store.changedPositions("p"))).isEqualTo(Map.of("c1", 1, "c2", 2));
        assertThat(await(store.changedPositions("p"))).isEmpty();
        await(store.enqueue("p", "c0", 5));
        assertThat(await(store.changedPositions("p"))).isEqualTo(Map.of("c0", 1, "c1", 2, "c2", 3));
        await(store.dequeue("p", "c0"));
        await(store.dequeue("p", "c1"));
        assertThat(await(store.changedPositions("p"))).isEqualTo(Map.of("c2", 1));
        assertThat(await(store.head("p"))).contains("c2");
    }

    @Test
    void aConversationJoiningInTheTakeWaitsBehindOlderOnesAndStaysWhenNobodyHasRoom() {
        RedisKeys keys = new RedisKeys(TestServers.get().newRedisPrefix());
        RoutingStore store = new RoutingStore(redis, keys);
        await(store.enqueue("p", "older", 10));
        RoutingStore.Take noRoom = await(store.enqueueAndTakeHead("p", "newer", 20, 1000));
        assertThat(noRoom.outcome()).isEqualTo(RoutingStore.Outcome.NO_CAPACITY);
        assertThat(await(store.changedPositions("p"))).isEqualTo(Map.of("older", 1, "newer", 2));

        agent(keys, "a", 1, 0, 0);
        RoutingStore.Take first = await(store.enqueueAndTakeHead("p", "newest", 30, 2000));
        assertThat(first.outcome()).isEqualTo(RoutingStore.Outcome.TAKEN);
        assertThat(first.conversationId()).as("the oldest goes first").isEqualTo("older");
        assertThat(first.agentId()).isEqualTo("a");
        assertThat(await(store.changedPositions("p"))).isEqualTo(Map.of("newer", 1, "newest", 2));
    }

    @Test
    void dueEntriesAreTakenExactlyOnce() {
        RoutingStore store = new RoutingStore(redis, new RedisKeys(TestServers.get().newRedisPrefix()));
        await(store.scheduleRealert("early", 100));
        await(store.scheduleRealert("late", 10_000));
        List<String> first = await(store.takeDueRealerts(5000, 10));
        List<String> second = await(store.takeDueRealerts(5000, 10));
        assertThat(first).containsExactly("early");
        assertThat(second).isEmpty();
        assertThat(await(store.takeDueRealerts(20_000, 10))).containsExactly("late");
    }

    @Test
    void takingTheHeadChoosesAsAgentChoiceDoes() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            RedisKeys keys = new RedisKeys(TestServers.get().newRedisPrefix());
            RoutingStore store = new RoutingStore(redis, keys);
            List<Candidate> candidates = new ArrayList<>();
            List<Request> setup = new ArrayList<>();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                AgentStatus status = AgentStatus.values()[random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0];
                int max = 1 + random.nextInt(3);
                Candidate c = new Candidate("agent-" + i, status, random.nextInt(max + 1), max, random.nextInt(3) * 1000L);
                candidates.add(c);
                setup.add(Request.cmd(Command.HSET).arg(keys.agent(c.agentId())).arg("status").arg(status.wire())
                        .arg("max").arg(max).arg("load").arg(c.load()).arg("idle").arg(c.idleSince()));
                setup.add(Request.cmd(Command.SADD).arg(keys.pool("p")).arg(c.agentId()));
            }
            await(redis.batch(setup));
            await(store.enqueue("p", "conv", 1));
            RoutingStore.Take t = await(store.takeHead("p", 5000));
            Optional<Candidate> expected = AgentChoice.pick(candidates);
            assertThat(t.outcome()).as("round %d: %s", round, candidates)
                    .isEqualTo(expected.isPresent() ? RoutingStore.Outcome.TAKEN : RoutingStore.Outcome.NO_CAPACITY);
            assertThat(Optional.ofNullable(t.agentId())).as("round %d: %s", round, candidates).isEqualTo(expected.map(Candidate::agentId));
            assertThat(await(store.head("p"))).isEqualTo(expected.isPresent() ? Optional.empty() : Optional.of("conv"));
        }
    }

    private static void agent(RedisKeys keys, String id, int max, int load, long idle) {
        await(redis.batch(List.of(
                Request.cmd(Command.HSET).arg(keys.agent(id)).arg("status").arg("online").arg("max").arg(max)
                        .arg("load").arg(load).arg("idle").arg(idle),
                Request.cmd(Command.SADD).arg(keys.pool("p")).arg(id))));
    }

    private static int load(RedisKeys keys, String id) {
        return await(redis.send(Request.cmd(Command.HGET).arg(keys.agent(id)).arg("load"))).toInteger();
    }

    @Test
    void aNewConversationIsTakenOnlyWhenNothingWaitsAndSomeoneHasRoomAndIsNeverQueued() {
        RedisKeys keys = new RedisKeys(TestServers.get().newRedisPrefix());
        RoutingStore store = new RoutingStore(redis, keys);
        assertThat(await(store.takeNew("p", "new1", 1000)).outcome()).as("nobody online")
                .isEqualTo(RoutingStore.Outcome.NO_CAPACITY);
        assertThat(await(store.head("p"))).as("not queued: Postgres does not know it yet").isEmpty();

        agent(keys, "a1", 1, 0, 500);
        agent(keys, "a2", 2, 1, 0);
        RoutingStore.Take t = await(store.takeNew("p", "new2", 1000));
        assertThat(t).isEqualTo(new RoutingStore.Take(RoutingStore.Outcome.TAKEN, "p", "new2", "a1", 0));
        assertThat(load(keys, "a1")).isEqualTo(1);
        assertThat(await(store.head("p"))).isEmpty();
        // Recorded as being assigned: a node that dies now leaves it to requeueStuck.
        assertThat(await(redis.send(Request.cmd(Command.ZSCORE).arg(keys.assigning()).arg("p new2 0 a1"))).toLong())
                .isEqualTo(1000);

        // Someone waits (and a2 has room): the new one would jump the queue, so nothing is taken.
        await(store.enqueue("p", "older", 5));
        assertThat(await(store.takeNew("p", "new3", 2000)).outcome()).isEqualTo(RoutingStore.Outcome.BEHIND);
        assertThat(load(keys, "a2")).isEqualTo(1);
        assertThat(await(store.head("p"))).contains("older");
        assertThat(await(store.changedPositions("p"))).isEqualTo(Map.of("older", 1));

        // Postgres refused it (or it was not created): the slot comes back, nothing is queued.
        await(store.untake(t, false));
        assertThat(load(keys, "a1")).isZero();
        assertThat(await(redis.send(Request.cmd(Command.ZCARD).arg(keys.assigning()))).toInteger()).isZero();
        await(store.dequeue("p", "older"));
        assertThat(await(store.head("p"))).isEmpty();
    }

    @Test
    void takingTheHeadTakesConversationAndSlotTogetherAndUntakingPutsThemBack() {
        RedisKeys keys = new RedisKeys(TestServers.get().newRedisPrefix());
        RoutingStore store = new RoutingStore(redis, keys);
        assertThat(await(store.takeHead("p", 1000)).outcome()).isEqualTo(RoutingStore.Outcome.EMPTY);
        agent(keys, "a1", 2, 0, 1000);
        agent(keys, "a2", 1, 0, 0);
        for (int i = 1; i <= 4; i++) {
            await(store.enqueue("p", "c" + i, i * 10));
        }
        await(store.scheduleRealert("c1", 99_000));
        assertThat(await(store.changedPositions("p"))).containsEntry("c1", 1);

        RoutingStore.Take t1 = await(store.takeHead("p", 1000));
        assertThat(t1).isEqualTo(new RoutingStore.Take(RoutingStore.Outcome.TAKEN, "p", "c1", "a2", 10));
        assertThat(await(store.takeDueRealerts(100_000, 10))).as("its re-alert went with it").isEmpty();
        RoutingStore.Take t2 = await(store.takeHead("p", 1000));
        RoutingStore.Take t3 = await(store.takeHead("p", 1000));
        assertThat(List.of(t2.conversationId(), t2.agentId(), t3.conversationId(), t3.agentId()))
                .containsExactly("c2", "a1", "c3", "a1");
        assertThat(await(store.takeHead("p", 1000)).outcome()).isEqualTo(RoutingStore.Outcome.NO_CAPACITY);
        assertThat(await(store.head("p"))).contains("c4");
        assertThat(load(keys, "a1")).isEqualTo(2);

        // Postgres said the agent was full: c3 goes back ahead of c4. Said c2 was gone: it does not.
        await(store.untake(t3, true));
        await(store.untake(t2, false));
        assertThat(load(keys, "a1")).isZero();
        assertThat(await(store.head("p"))).contains("c3");
        await(store.dequeue("p", "c3"));
        assertThat(await(store.head("p"))).contains("c4");

        // c1 was never confirmed (its node died): it goes back after the timeout, once.
        assertThat(await(store.requeueStuck(500, 10)).pools()).isEmpty();
        RoutingStore.Stuck stuck = await(store.requeueStuck(2000, 10));
        assertThat(stuck.pools()).containsExactly("p");
        assertThat(stuck.agents()).containsExactly("a2");
        assertThat(await(store.requeueStuck(2000, 10)).pools()).isEmpty();
        assertThat(await(store.head("p"))).contains("c1");
        // An untake after that does not queue it twice; a confirmed take is not requeued.
        await(store.untake(t1, true));
        await(store.dequeue("p", "c1"));
        assertThat(await(store.head("p"))).contains("c4");
        RoutingStore.Take t4 = await(store.takeHead("p", 3000));
        await(store.assigned(t4));
        assertThat(await(store.requeueStuck(10_000, 10)).pools()).isEmpty();
        assertThat(await(store.takeHead("p", 3000)).outcome()).isEqualTo(RoutingStore.Outcome.EMPTY);
    }
}
