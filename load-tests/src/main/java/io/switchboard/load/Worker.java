package io.switchboard.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One generator process. It plays its slice of customers and agents over the wire protocol, paced
 * by open-loop schedules, and talks to the orchestrator on stdout (lines {@code PROG}, {@code BARRIER},
 * {@code RESULT}, each followed by JSON) and stdin (a line {@code GO} releases a barrier). Every
 * message it sends is tracked by its clientMsgId until it is acked and delivered to the other side.
 */
public final class Worker {
    private static final PrintStream OUT = System.out;

    // ---- configuration
    private final JsonObject cfg;
    private final String scenario;
    private final String host;
    private final int port;
    /** Where the agents connect: the node of {@link #port}, but a surviving node in a crash run. */
    private final int agentPort;
    /** Where customers reconnect: their own node, and the surviving node once theirs was killed. */
    private volatile int reconnectPort;
    /** storm --crash: "victim" (this process' node is killed), "survivor", or null (customers drop themselves). */
    private final String crash;
    /** storm --crash-agents on the killed node's process: its agents are on that node too, and fail over. */
    private final boolean crashAgents;
    private final boolean sio;
    private final boolean switchboard;
    private final int workerId;
    /** Every message's text, as a JSON string literal. */
    private final String quotedText;

    // ---- machinery
    private final Vertx vertx;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final Context[] loops;
    private final Stats stats = new Stats();
    private final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });
    private volatile String phase = "setup";

    // ---- state
    private final Ledger ledger;
    private final Map<String, Conv> convs = new ConcurrentHashMap<>();
    private final List<AgentC> agents = new ArrayList<>();
    private final List<Cust> customers = new ArrayList<>();
    private final LongAdder complete = new LongAdder();
    private final LongAdder failedMsgs = new LongAdder();
    private final LongAdder phaseAcked = new LongAdder();
    /**
     * Every message acked since the measured part began, sent then or before: the work behind the
     * server's CPU over that part. A target that fell behind in the warm-up acks warm-up messages in
     * the window too.
     */
    private final LongAdder windowAcked = new LongAdder();
    private final LongAdder resent = new LongAdder();
    /** History reads an agent made past a gap in its conversation's seqs. */
    private final LongAdder gapReads = new LongAdder();
    /** {@code resync} events (a node was lost), and the reads they made (something was missing). */
    private final LongAdder resyncs = new LongAdder();
    private final LongAdder resyncReads = new LongAdder();
    private final LongAdder storedTwice = new LongAdder();
    private final LongAdder systemMessages = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger resumed = new AtomicInteger();
    private final AtomicInteger connectFailed = new AtomicInteger();
    private volatile long phaseStartNs;
    private volatile long lastAckNs;
    private volatile long stormStartNs;
    private volatile boolean finishing;

    /** One message this process sent, followed until acked and delivered (see {@link Ledger}). */
    static final class Msg {
        final int n; // its number in the ledger
        final String cmid;
        final boolean c2a;
        final long intendedNs;
        final boolean phase;
        final Cust cust;
        final Conv conv; // a2c only (c2a: known from the customer)
        long ackNs;
        String ackMessageId;
        long deliveredNs;
        String deliveredMessageId;
        int liveGen = -1;
        boolean failed;
        /** For a lost message's sample: its seq, and whether it was sent again after a reconnect. */
        int ackSeq = -1;
        boolean resent;

        Msg(int n, String cmid, boolean c2a, long intendedNs, boolean phase, Cust cust, Conv conv) {
            this.n = n;
            this.cmid = cmid;
            this.c2a = c2a;
            this.intendedNs = intendedNs;
            this.phase = phase;
            this.cust = cust;
            this.conv = conv;
        }
    }

    /** A customer message that reached an agent's socket before its conversation was assigned. */
    private record Early(Msg msg, String messageId, long atNs, int seq) {
    }

    static final class Conv {
        final String id;
        volatile Cust cust;
        volatile AgentC agent;
        /** Seqs its agent's socket has seen (events, and acks of its own messages) from {@code agentFrom}, the first after its assignment. */
        final BitSet agentSeen = new BitSet();
        int agentFrom;
        int agentInFlight;
        boolean agentFilling;

        Conv(String id) {
            this.id = id;
        }

        /** The first seq missing below one the agent saw, or -1 (hold the lock). */
        int agentGap() {
            int missing = agentSeen.nextClearBit(agentFrom);
            return missing < agentSeen.length() ? missing : -1;
        }
    }

    final class AgentC {
        final int idx;
        final String token;
        volatile String id;
        volatile Conn conn;
        final List<Conv> mine = new ArrayList<>();
        /** storm --crash-agents: its node is about to be killed; its close starts the failover. */
        volatile boolean crashed;
        /** Its socket is up (false from a crash's close until it is back): its messages wait in {@link #unacked}. */
        boolean online = true;
        /** In a crash run: its messages sent and not acked yet, by clientMsgId, sent again once back (guarded by this). */
        final Map<String, Msg> unacked = new LinkedHashMap<>();
        /** Reads its node's death cut short, done again once it is back (guarded by this). */
        final List<Runnable> whenBack = new ArrayList<>();
        /**
         * Customer messages this socket got as a member of their conversation's team before the
         * conversation was assigned (its first messages, while it is being routed): delivered to this
         * agent if the assignment then names it.
         */
        private final Map<String, List<Early>> beforeAssigned = new HashMap<>();

        AgentC(int idx, String token) {
            this.idx = idx;
            this.token = token;
        }

        void onEvent(JsonObject f) {
            String type = f.getString("type");
            long now = System.nanoTime();
            switch (type) {
                case "conversation.assigned" -> {
                    JsonObject c = f.getJsonObject("conversation");
                    JsonObject assignee = c.getJsonObject("assignee");
                    List<Early> early;
                    synchronized (beforeAssigned) {
                        early = beforeAssigned.remove(c.getString("id"));
                    }
                    if (assignee == null || !id.equals(assignee.getString("id"))) {
                        return;
                    }
                    Conv conv = adopt(c, early);
                    JsonObject last = c.getJsonObject("lastMessage");
                    if (last != null && last.getString("clientMsgId") != null) {
                        Msg m = ledger.get(last.getString("clientMsgId"));
                        if (m != null && m.c2a) {
                            stats.record("routingAgent", now - m.intendedNs);
                            if (m.deliveredNs == 0) {
                                delivered(m, last.getString("id"), "assigned", 0, now);
                            }
                        }
                    }
                }
                case "resync" -> {
                    resyncs.increment();
                    caughtUp(f.getJsonObject("inbox", new JsonObject()));
                }
                case "error" -> stats.error(f.getString("code", "error"), f.encode());
                default -> {
                }
            }
        }

        /**
         * The inbox as the server says it is now (a resync's, a reconnect's hello): the conversations
         * this agent holds are read past what it has seen of them, and those it did not know it holds
         * (assigned by a lost node, whose conversation.assigned never came) are taken on.
         */
        void caughtUp(JsonObject inbox) {
            JsonArray held = inbox.getJsonArray("mine", new JsonArray());
            for (int i = 0; i < held.size(); i++) {
                JsonObject c = held.getJsonObject(i);
                Conv conv = convs.get(c.getString("id"));
                if (conv == null || conv.agent == null) {
                    // Assigned to this agent by the lost node, whose conversation.assigned never came.
                    List<Early> early;
                    synchronized (beforeAssigned) {
                        early = beforeAssigned.remove(c.getString("id"));
                    }
                    adopt(c, early);
                    if (c.getLong("lastSeq", 0L) == 1) { // the first message, which conversation.assigned carries
                        readBefore(c.getString("id"), 1);
                    }
                } else if (conv.agent == this) {
                    resync(conv, c.getLong("lastSeq", 0L));
                }
            }
        }

        /**
         * A conversation assigned to this agent ({@code c}, its summary): from now on its messages
         * are this agent's to receive. {@code early}: those that reached this socket before.
         */
        private Conv adopt(JsonObject c, List<Early> early) {
            Conv conv = convs.computeIfAbsent(c.getString("id"), Conv::new);
            if (conv.agent == null) {
                conv.agent = this;
                synchronized (mine) {
                    mine.add(conv);
                }
            }
            if (early != null) {
                early.forEach(e -> delivered(e.msg(), e.messageId(), "live", 0, e.atNs()));
            }
            long lastSeq = c.getLong("lastSeq", 0L);
            synchronized (conv) {
                if (conv.agentFrom == 0) {
                    conv.agentFrom = (int) lastSeq + 1; // what follows must come live (or by a gap's read)
                }
                if (early != null) { // came live before this event: seen
                    early.forEach(e -> conv.agentSeen.set(Math.max(0, e.seq())));
                }
            }
            if (lastSeq > 1) {
                // More than the first message came before the assignment (a customer wrote on
                // while being routed): the first of them was in no live event, so the agent
                // reads them as a console does when it opens the conversation.
                readBefore(conv.id, lastSeq);
            }
            return conv;
        }

        /**
         * A node was lost ({@code resync}): what the agent has not seen of the conversation up to
         * {@code lastSeq} it reads now (docs/protocol.md, "Several nodes"; a console reads the
         * conversation it has open, this agent has them all open). Messages that came live
         * meanwhile, read again, are not counted twice.
         */
        private void resync(Conv conv, long lastSeq) {
            int after;
            synchronized (conv) {
                after = conv.agentFrom == 0 ? 0 : conv.agentSeen.nextClearBit(conv.agentFrom) - 1;
            }
            if (lastSeq <= after) {
                return;
            }
            resyncReads.increment();
            readSeen(conv, after, lastSeq, () -> { }, () -> { });
        }

        /** Reads the conversation's messages after {@code after} up to {@code upTo}: each is seen, and delivered if ours. */
        private void readSeen(Conv conv, long after, long upTo, Runnable done, Runnable failed) {
            readPages(conn, "conversation.open", conv.id, after, upTo, (h, now) -> {
                synchronized (conv) {
                    conv.agentSeen.set(h.getInteger("seq"));
                }
                deliveredFromHistory(h, "customer", now);
            }, done, failed);
        }

        void onMessage(MessageFrames.Event m) {
            long now = System.nanoTime();
            Conv conv = convs.get(m.conversationId());
            if (conv != null && conv.agent == this) {
                seen(conv, m.seq());
            }
            if ("system".equals(m.authorType())) {
                systemMessages.increment();
                return;
            }
            if (!"customer".equals(m.authorType())) {
                stats.observerDeliveries.increment();
                return;
            }
            if (conv == null || conv.agent != this) {
                if (conv == null || conv.agent == null) {
                    unrouted.increment();
                    Msg early = ledger.get(m.clientMsgId());
                    if (early != null) {
                        synchronized (beforeAssigned) {
                            beforeAssigned.computeIfAbsent(m.conversationId(), k -> new ArrayList<>())
                                    .add(new Early(early, m.id(), now, m.seq()));
                        }
                    }
                }
                stats.observerDeliveries.increment();
                return;
            }
            Msg msg = ledger.get(m.clientMsgId());
            if (msg == null) {
                deliveredLater(m.clientMsgId(), m.id(), "live", 0, m);
                return;
            }
            delivered(msg, m.id(), "live", 0, now);
        }

        /**
         * A seq this socket saw in one of its conversations. A gap (a seq missing below it) is looked
         * at again after {@code gapGraceMs}: events and acks of one conversation may arrive out of
         * seq order (an agent's ack can overtake the event of the customer's message just before it).
         * Still there then, the agent reads the messages after it, as PROTOCOL.md tells a client to:
         * an event the server never pushed (a node that stored and acked a message and died before
         * passing it on) reaches the agent that way.
         */
        void seen(Conv conv, int seq) {
            if (seq < 1 || !switchboard) { // the baselines have no conversation.open
                return;
            }
            synchronized (conv) {
                if (conv.agentFrom == 0) {
                    conv.agentFrom = seq; // not set at its assignment: its own seqs from here on
                }
                conv.agentSeen.set(seq); // also what a resync reads past
                if (gapGraceMs == 0 || conv.agentFilling || conv.agentGap() < 0) {
                    return;
                }
                conv.agentFilling = true;
            }
            fillGapLater(conv);
        }

        private void fillGap(Conv conv) {
            int after;
            int upTo;
            synchronized (conv) {
                int missing = conv.agentGap();
                if (missing < 0) { // it came meanwhile
                    conv.agentFilling = false;
                    return;
                }
                if (conv.agentInFlight > 0) { // the missing one may be its own, unacked yet
                    fillGapLater(conv);
                    return;
                }
                synchronized (this) {
                    if (!online || crashed) { // its node was killed: read once it is back
                        fillGapLater(conv);
                        return;
                    }
                }
                after = missing - 1;
                upTo = conv.agentSeen.length() - 1;
            }
            gapReads.increment();
            // Only the gap's span: a page of 500 messages held the server's loop for milliseconds.
            readSeen(conv, after, upTo, () -> fillGapLater(conv), () -> fillGapLater(conv));
        }

        /** Looks at the conversation's gaps again after the grace (after a read, or a failed one, an error counted). */
        private void fillGapLater(Conv conv) {
            vertx.setTimer(gapGraceMs, id -> fillGap(conv));
        }

        /**
         * Reads the conversation's customer messages up to {@code upTo} ({@code conversation.open});
         * one cut by its node's death is read again once the agent is back.
         */
        private void readBefore(String conversationId, long upTo) {
            readPages(conn, "conversation.open", conversationId, 0, upTo,
                    (m, now) -> deliveredFromHistory(m, "customer", now), () -> {
                    }, () -> {
                        synchronized (this) {
                            if (!online || crashed) {
                                whenBack.add(() -> readBefore(conversationId, upTo));
                            }
                        }
                    });
        }
    }

    /**
     * How long a gap in a conversation's seqs may last before an agent reads past it (live events may
     * come out of order); 0, the default but in storm --crash: never. Off by default because at 10,000
     * msg/s, with the machine at its limit, chat's customer→agent p99 was 110-1,073 ms (median 460)
     * in nine runs with it on and 51-432 ms (median 140) in six with it off; one node loses no event.
     */
    private final long gapGraceMs;

    /** Messages per history page (the server's maximum). */
    private static final int PAGE = 500;

    /**
     * Reads a conversation's messages after {@code afterSeq} page by page ({@code history} or
     * {@code conversation.open}), each to {@code each} with the time it arrived, until a page is not
     * full or reaches {@code upTo}; then {@code done}. A page asks for no more than up to {@code upTo}.
     */
    private void readPages(Conn conn, String type, String conversationId, long afterSeq, long upTo,
                           java.util.function.ObjLongConsumer<JsonObject> each, Runnable done, Runnable failed) {
        int limit = (int) Math.max(1, Math.min(PAGE, upTo - afterSeq));
        JsonObject f = new JsonObject().put("type", type).put("conversationId", conversationId)
                .put("afterSeq", afterSeq).put("limit", limit);
        conn.request(f).onComplete(ar -> {
            if (ar.failed()) {
                // A read cut by its socket's close is that close's story (counted where the close is, when
                // unexpected): the caller reads again once back, or does not resume, which the verdict says.
                if (!Conn.closedUnder(ar.cause())) {
                    stats.error(type + "_failed", ar.cause().toString());
                }
                failed.run();
                return;
            }
            long now = System.nanoTime();
            JsonArray list = ar.result().getJsonArray("messages", new JsonArray());
            long last = afterSeq;
            for (int i = 0; i < list.size(); i++) {
                JsonObject m = list.getJsonObject(i);
                last = Math.max(last, m.getLong("seq"));
                each.accept(m, now);
            }
            if (list.size() == limit && last < upTo) {
                readPages(conn, type, conversationId, last, upTo, each, done, failed);
            } else {
                done.run();
            }
        });
    }

    /** A message read from a conversation's history: delivered, if it is one of ours by {@code authorType}. */
    private void deliveredFromHistory(JsonObject m, String authorType, long now) {
        String type = m.getJsonObject("author", new JsonObject()).getString("type");
        if (!authorType.equals(type) || m.getString("clientMsgId") == null) {
            return;
        }
        Msg msg = ledger.get(m.getString("clientMsgId"));
        if (msg != null) {
            delivered(msg, m.getString("id"), "history", -1, now);
        } else {
            deliveredLater(m.getString("clientMsgId"), m.getString("id"), "history", -1, m);
        }
    }

    final class Cust {
        final int idx;
        final String widget;
        volatile String token;
        volatile Conn conn;
        volatile Conv conv;
        volatile Msg first;
        volatile boolean joinedFlag;
        volatile boolean online;
        volatile boolean stormClosing;
        /** storm --crash: its node is about to be killed; its close starts the failover. */
        volatile boolean crashed;
        boolean discard;
        int gen;
        final BitSet seen = new BitSet();
        final Map<String, Msg> unacked = new LinkedHashMap<>();

        Cust(int idx, String widget) {
            this.idx = idx;
            this.widget = widget;
        }

        void onEvent(JsonObject f) {
            String type = f.getString("type");
            long now = System.nanoTime();
            switch (type) {
                case "agent.joined" -> {
                    if (!joinedFlag) {
                        joinedFlag = true;
                        Msg m = first;
                        if (m != null) {
                            stats.record("routing", now - m.intendedNs);
                        }
                        joined.incrementAndGet();
                    }
                }
                case "queue.position" -> queued.increment();
                case "resync" -> {
                    // A node was lost: read what is missing of the conversation up to its lastSeq now.
                    resyncs.increment();
                    JsonObject c = f.getJsonObject("conversation");
                    Conv conv = this.conv;
                    Conn live = conn;
                    if (c == null || conv == null || !conv.id.equals(c.getString("id"))) {
                        return;
                    }
                    int after = completeSeq();
                    if (c.getLong("lastSeq", 0L) > after) {
                        resyncReads.increment();
                        readSeen(live, after, c.getLong("lastSeq"), () -> { }, () -> { });
                    }
                }
                case "error" -> stats.error(f.getString("code", "error"), f.encode());
                default -> {
                }
            }
        }

        void onMessage(MessageFrames.Event m) {
            long now = System.nanoTime();
            int g;
            synchronized (this) {
                if (m.seq() >= 0) {
                    seen.set(m.seq());
                }
                g = gen;
            }
            if ("system".equals(m.authorType())) {
                systemMessages.increment();
                return;
            }
            if (!"agent".equals(m.authorType())) {
                return; // own message echoed to another socket: not ours to count
            }
            Msg msg = ledger.get(m.clientMsgId());
            if (msg == null) {
                deliveredLater(m.clientMsgId(), m.id(), "live", g, m);
                return;
            }
            delivered(msg, m.id(), "live", g, now);
        }

        /** The seq up to which it has every message of its conversation. */
        synchronized int completeSeq() {
            return seen.nextClearBit(1) - 1;
        }

        /** Reads its conversation's messages after {@code after} up to {@code upTo}: each is seen, and delivered if ours. */
        void readSeen(Conn via, long after, long upTo, Runnable done, Runnable failed) {
            readPages(via, "history", conv.id, after, upTo, (m, at) -> {
                synchronized (this) {
                    seen.set(m.getInteger("seq"));
                }
                deliveredFromHistory(m, "agent", at);
            }, done, failed);
        }

        void onClose(int code) {
            stats.openSockets.decrement();
            if (crashed && code != Conn.CLOSED_BY_US) { // its node was killed: reconnect at once, as a widget does
                synchronized (this) {
                    online = false;
                }
                closedByKill(() -> reconnect(this));
                return;
            }
            if (code != Conn.CLOSED_BY_US && !stormClosing && !finishing) {
                stats.dropped.increment();
                stats.error("closed_" + code, "customer " + idx + " socket closed by the server");
            }
        }
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] argv) throws Exception {
        JsonObject cfg = new JsonObject(Files.readString(Path.of(argv[0])));
        Worker w = new Worker(cfg);
        int rc = 0;
        try {
            w.run();
        } catch (Throwable t) {
            t.printStackTrace();
            rc = 1;
        }
        w.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(rc);
    }

    Worker(JsonObject cfg) {
        this.cfg = cfg;
        this.scenario = cfg.getString("scenario");
        this.host = cfg.getString("host", "127.0.0.1");
        this.port = cfg.getInteger("port");
        this.agentPort = cfg.getInteger("agentPort", port);
        this.reconnectPort = port;
        this.crash = cfg.getString("crash");
        this.crashAgents = "victim".equals(crash) && cfg.getBoolean("crashAgents", false);
        this.gapGraceMs = cfg.getInteger("gapGraceMs", 0);
        String target = cfg.getString("target", "switchboard");
        this.sio = "socketio".equals(target);
        this.switchboard = "switchboard".equals(target);
        this.workerId = cfg.getInteger("workerId", 0);
        this.ledger = new Ledger(workerId);
        int bytes = cfg.getInteger("messageBytes", 120);
        this.quotedText = MessageFrames.quote("x".repeat(Math.max(1, bytes)));
        int threads = cfg.getInteger("threads", 2);
        this.vertx = ClientTransport.vertx(new VertxOptions().setEventLoopPoolSize(threads));
        // Vert.x 5 pins every call from one non-Vert.x thread (the pacer) to one "sticky" event loop:
        // connects are dispatched to one context per loop instead, so all loops share the sockets.
        this.loops = new Context[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = ((VertxInternal) vertx).createEventLoopContext();
        }
        JsonArray sources = cfg.getJsonArray("sourceAddresses", new JsonArray().add("127.0.0.1"));
        for (Object a : sources) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress((String) a)
                    .setMaxConnections(1_000_000)
                    .setConnectTimeout(cfg.getInteger("connectTimeoutMs", 15_000))
                    .setMaxFrameSize(1 << 20).setMaxMessageSize(16 << 20)));
        }
    }

    private static synchronized void emit(String kind, JsonObject o) {
        OUT.println(kind + " " + o.encode());
        OUT.flush();
    }

    /** Waits until the orchestrator releases every process from the barrier; returns its GO line. */
    private String barrier(String name, JsonObject info) throws Exception {
        emit("BARRIER", info.put("name", name).put("worker", workerId));
        String line;
        while ((line = stdin.readLine()) != null) {
            if (line.startsWith("GO")) {
                return line;
            }
        }
        throw new IllegalStateException("orchestrator went away");
    }

    private void run() throws Exception {
        ticker.scheduleAtFixedRate(() -> {
            try {
                JsonObject o = stats.interval().put("phase", phase).put("worker", workerId)
                        .put("joined", joined.get()).put("resumed", resumed.get());
                emit("PROG", o);
            } catch (Throwable t) {
                t.printStackTrace();
            }
        }, 1, 1, TimeUnit.SECONDS);

        for (int i = 0; i < cfg.getJsonArray("agentTokens", new JsonArray()).size(); i++) {
            agents.add(new AgentC(i, cfg.getJsonArray("agentTokens").getString(i)));
        }
        customers.addAll(newCustomers(0, cfg.getInteger("customers", 0)));
        JsonObject result = switch (scenario) {
            case "chat" -> chat();
            case "storm" -> storm();
            case "idle" -> idle();
            default -> throw new IllegalArgumentException("scenario " + scenario);
        };
        phase = "done";
        finishing = true;
        List<Future<Void>> closes = new ArrayList<>();
        for (Cust c : customers) {
            if (c.conn != null) {
                closes.add(c.conn.close());
            }
        }
        for (AgentC a : agents) {
            if (a.conn != null) {
                closes.add(a.conn.close());
            }
        }
        try {
            Future.join(closes).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing is best effort
        }
        stats.interval();
        emit("RESULT", result.mergeIn(stats.totals()).put("worker", workerId));
        ticker.shutdownNow();
    }

    // ------------------------------------------------------------------ connecting

    /** Runs r on the event loop of socket i (round-robin over the loops). */
    private void onLoop(int i, Runnable r) {
        loops[Math.floorMod(i, loops.length)].runOnContext(v -> r.run());
    }

    private WebSocketClient client(int i) {
        return clients.get(i % clients.size());
    }

    private String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String customerUri(Cust c) {
        String group = "&group=" + workerId;
        if (sio) {
            return "/socket.io/?EIO=4&transport=websocket&role=customer" + group;
        }
        return "/ws/customer?widget=" + enc(c.widget) + (c.token != null ? "&token=" + enc(c.token) : "")
                + (switchboard ? "" : group);
    }

    private String agentUri(AgentC a) {
        String group = "&group=" + workerId;
        if (sio) {
            return "/socket.io/?EIO=4&transport=websocket&role=agent&token=" + enc(a.token) + group;
        }
        return "/ws/agent?token=" + enc(a.token) + (switchboard ? "" : group);
    }

    private long timeoutMs() {
        return cfg.getInteger("connectTimeoutMs", 15_000);
    }

    private void connectAgents() throws Exception {
        List<Future<Conn>> all = new ArrayList<>();
        for (AgentC a : agents) {
            io.vertx.core.Promise<Conn> opened = io.vertx.core.Promise.promise();
            onLoop(a.idx, () -> Conn.open(client(a.idx), host, agentPort, agentUri(a), sio, timeoutMs(), a::onEvent, a::onMessage,
                    code -> agentClosed(a, code)).onComplete(opened));
            Future<Conn> f = opened.future();
            all.add(f.onSuccess(conn -> {
                a.conn = conn;
                a.id = conn.hello.getJsonObject("agent").getString("id");
                stats.openSockets.increment();
            }).onFailure(t -> stats.error("agent_connect_failed", t.toString())));
        }
        Future.join(all).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        for (AgentC a : agents) {
            if (a.conn == null) {
                throw new IllegalStateException("agent " + a.idx + " could not connect");
            }
        }
    }

    /** Connects a customer; on hello, optionally sends its first message (opening a conversation). */
    private void connectCustomer(Cust c, long intendedNs, boolean sendFirst) {
        onLoop(c.idx, () -> connectCustomerNow(c, intendedNs, sendFirst));
    }

    private void connectCustomerNow(Cust c, long intendedNs, boolean sendFirst) {
        Conn.open(client(c.idx), host, port, customerUri(c), sio, timeoutMs(), c::onEvent, c::onMessage, c::onClose)
                .onSuccess(conn -> {
                    synchronized (c) {
                        if (c.discard) { // a warm-up socket that connected after the warm-up ended
                            stats.openSockets.increment(); // its close handler counts it down
                            conn.close();
                            return;
                        }
                    }
                    long now = System.nanoTime();
                    stats.record("connect", now - intendedNs);
                    stats.connected.increment();
                    stats.openSockets.increment();
                    c.conn = conn;
                    c.online = true;
                    JsonObject v = conn.hello.getJsonObject("visitor");
                    if (v != null) {
                        c.token = v.getString("token");
                    }
                    if (sendFirst) {
                        Msg m = newMsg(true, now, false, c, null);
                        c.first = m;
                        sendC2A(c, m);
                    }
                })
                .onFailure(t -> {
                    connectFailed.incrementAndGet();
                    stats.error("connect_failed", t.toString());
                });
    }

    // ------------------------------------------------------------------ messages

    private Msg newMsg(boolean c2a, long intendedNs, boolean phaseMsg, Cust c, Conv conv) {
        int n = ledger.next();
        Msg m = new Msg(n, ledger.clientMsgId(n, c2a), c2a, intendedNs, phaseMsg, c, conv);
        ledger.follow(m);
        if (phaseMsg && scenario.equals("storm")) {
            (stormStartNs == 0 ? sentBefore : resumed.get() < stormCount ? sentDuring : sentAfter).increment();
        }
        stats.sent.increment();
        return m;
    }

    private void sendC2A(Cust c, Msg m) {
        synchronized (c) {
            c.unacked.put(m.cmid, m);
            if (!c.online) {
                return; // offline (storm): the widget keeps it and sends it after the reconnect
            }
        }
        transmitC2A(c, m);
    }

    private void transmitC2A(Cust c, Msg m) {
        Conn conn = c.conn;
        conn.sendMessage(null, m.cmid, quotedText).onComplete(ar -> {
            if (ar.succeeded()) {
                MessageFrames.Ack r = ar.result();
                if (c.conv == null && r.conversationId() != null) {
                    Conv conv = convs.computeIfAbsent(r.conversationId(), Conv::new);
                    conv.cust = c;
                    c.conv = conv;
                }
                ackedC2A(c, m, r);
            } else {
                Throwable t = ar.cause();
                String code = t instanceof Conn.ErrorReply e ? e.code : "request_failed";
                if (c.stormClosing || conn != c.conn || Conn.closedUnder(t)) {
                    if (!c.stormClosing && !c.crashed && conn == c.conn && !finishing) {
                        stats.error(code, "customer message unanswered: " + t.getMessage());
                    }
                    return; // stays in unacked: resent after the reconnect
                }
                synchronized (c) {
                    c.unacked.remove(m.cmid);
                }
                failed(m, code, t.getMessage());
            }
        });
    }

    private void agentClosed(AgentC a, int code) {
        stats.openSockets.decrement();
        if (a.crashed && code != Conn.CLOSED_BY_US) { // its node was killed: reconnect at once, as a console does
            synchronized (a) {
                a.online = false;
            }
            closedByKill(() -> reconnectAgent(a));
            return;
        }
        if (code != Conn.CLOSED_BY_US && !finishing) {
            stats.dropped.increment();
            stats.error("closed_" + code, "agent " + a.idx + " socket closed by the server");
        }
    }

    /**
     * storm --crash-agents: an agent whose node was killed connects to a surviving node; its hello's
     * inbox shows the conversations it holds, and it reads what it has not seen of each (as a console
     * reads the one it has open), then sends again what was never acked, with the same clientMsgIds.
     */
    private void reconnectAgent(AgentC a) {
        onLoop(a.idx, () -> Conn.open(client(a.idx), host, reconnectPort, agentUri(a), sio, timeoutMs(), a::onEvent, a::onMessage,
                        code -> agentClosed(a, code))
                .onSuccess(conn -> {
                    stats.record("agentReconnect", System.nanoTime() - reconnectStartNs);
                    stats.openSockets.increment();
                    a.conn = conn;
                    a.crashed = false;
                    a.caughtUp(conn.hello.getJsonObject("inbox", new JsonObject()));
                    List<Msg> again;
                    List<Runnable> reads;
                    synchronized (a) {
                        again = new ArrayList<>(a.unacked.values());
                        reads = new ArrayList<>(a.whenBack);
                        a.whenBack.clear();
                        a.online = true;
                    }
                    reads.forEach(Runnable::run);
                    sendAgain(again, m -> sendA2CNow(a, m.conv, m)).onComplete(x -> {
                        stats.record("agentResume", System.nanoTime() - reconnectStartNs);
                        agentsResumed.incrementAndGet();
                    });
                })
                .onFailure(t -> retryReconnect(t, () -> reconnectAgent(a))));
    }

    private final AtomicInteger agentsResumed = new AtomicInteger();

    /** A reconnect failed: a widget or a console tries again, and so do we, until the resume deadline. */
    private void retryReconnect(Throwable t, Runnable again) {
        if (System.nanoTime() + 1_000_000_000L < reconnectDeadlineNs) {
            reconnectRetries.increment();
            vertx.setTimer(500, id -> again.run());
        } else {
            stats.error("reconnect_failed", t.toString());
        }
    }

    /** A socket of the killed node closed: counted, and its reconnect runs (timed from the kill). */
    private void closedByKill(Runnable reconnect) {
        killClosed.increment();
        lastKillCloseNs.accumulateAndGet(System.nanoTime(), Math::max);
        afterKill(reconnect);
    }

    /** Sends messages never acked once more, each by {@code send} (same clientMsgId); completes when all are answered. */
    private Future<Void> sendAgain(List<Msg> again, java.util.function.Function<Msg, Future<MessageFrames.Ack>> send) {
        List<Future<MessageFrames.Ack>> acks = new ArrayList<>();
        for (Msg m : again) {
            resent.increment();
            synchronized (m) {
                m.resent = true;
            }
            acks.add(send.apply(m));
        }
        return Future.join(acks).mapEmpty();
    }

    private void sendA2C(Conv conv, Msg m) {
        AgentC a = conv.agent;
        if (crash != null) { // kept until acked: a killed node's agent sends it again once back
            synchronized (a) {
                a.unacked.put(m.cmid, m);
                if (!a.online) {
                    return;
                }
            }
        }
        sendA2CNow(a, conv, m);
    }

    /** Sends an agent's message; the future is its answer's (handled here). */
    private Future<MessageFrames.Ack> sendA2CNow(AgentC a, Conv conv, Msg m) {
        boolean gaps = gapGraceMs > 0;
        if (gaps) {
            synchronized (conv) {
                conv.agentInFlight++;
            }
        }
        return a.conn.sendMessage(conv.id, m.cmid, quotedText).onComplete(ar -> {
            if (gaps) {
                synchronized (conv) {
                    conv.agentInFlight--;
                }
            }
            if (ar.succeeded()) {
                if (crash != null) {
                    synchronized (a) {
                        a.unacked.remove(m.cmid);
                    }
                }
                a.seen(conv, ar.result().seq());
                acked(m, ar.result().messageId(), ar.result().seq());
            } else {
                boolean again;
                synchronized (a) {
                    again = !a.online || a.crashed; // its node was killed: sent again once back
                }
                if (!again) {
                    Throwable t = ar.cause();
                    failed(m, t instanceof Conn.ErrorReply e ? e.code : "request_failed", t.getMessage());
                }
            }
        });
    }

    /** A customer's message acked: no longer to be resent, and its seq seen. */
    private void ackedC2A(Cust c, Msg m, MessageFrames.Ack r) {
        synchronized (c) {
            c.unacked.remove(m.cmid);
            if (r.seq() >= 0) {
                c.seen.set(r.seq());
            }
        }
        acked(m, r.messageId(), r.seq());
    }

    private void acked(Msg m, String messageId, int seq) {
        long now = System.nanoTime();
        boolean done;
        synchronized (m) {
            if (m.ackNs != 0) {
                if (m.ackMessageId != null && messageId != null && !m.ackMessageId.equals(messageId)) {
                    storedTwice(m.cmid, "acked as " + m.ackMessageId + " and " + messageId);
                }
                return;
            }
            m.ackNs = now;
            m.ackSeq = seq;
            m.ackMessageId = messageId;
            done = m.deliveredNs != 0;
        }
        lastAckNs = now;
        stats.acked.increment();
        if (m.phase) {
            phaseAcked.increment();
            stats.record("ack", now - m.intendedNs);
        }
        long start = phaseStartNs;
        if (start != 0 && now >= start) {
            windowAcked.increment();
        }
        if (done) {
            completed(m);
        }
    }

    /** m is acked and delivered: under one message id, or it was stored twice. The ledger keeps its record. */
    private void completed(Msg m) {
        complete.increment();
        if (m.ackMessageId != null && m.deliveredMessageId != null && !m.ackMessageId.equals(m.deliveredMessageId)) {
            storedTwice(m.cmid, "acked as " + m.ackMessageId + " and delivered as " + m.deliveredMessageId);
        }
        ledger.completed(m);
    }

    /**
     * A delivery, by clientMsgId, of a message not in flight: a repeat of a completed one of ours, or
     * (live) a message someone else sent. History pages also hold messages of others: not counted.
     */
    private void deliveredLater(String cmid, String messageId, String via, int gen, Object message) {
        Ledger.Done d = ledger.done(cmid);
        if (d == null) {
            if (!via.equals("history")) {
                stats.error("foreign_message", String.valueOf(message));
            }
        } else if (repeated(cmid, d.idHash(), d.liveGen(), messageId, via, gen)) {
            ledger.live(cmid, gen);
        }
    }

    /**
     * A message delivered before (as {@code firstIdHash}, last live to socket generation {@code liveGen})
     * is delivered again: stored twice if under another id, pushed twice if live to the same socket,
     * else an overlap (a reconnect's history and a live event both carried it). True if it is now
     * live to generation {@code gen}.
     */
    private boolean repeated(String cmid, long firstIdHash, int liveGen, String messageId, String via, int gen) {
        long idHash = Ledger.idHash(messageId);
        if (idHash != 0 && firstIdHash != 0 && idHash != firstIdHash) {
            storedTwice(cmid, "delivered again as another message, " + messageId);
            return false;
        }
        if (via.equals("live") && liveGen == gen) {
            stats.duplicated.increment();
            stats.error("delivered_twice", "clientMsgId " + cmid + " (" + messageId + ") pushed twice to the same socket");
            return false;
        }
        stats.overlap.increment();
        return via.equals("live");
    }

    /** One clientMsgId stored as two messages: a duplicate. */
    private void storedTwice(String cmid, String how) {
        storedTwice.increment();
        stats.duplicated.increment();
        stats.error("stored_twice", "clientMsgId " + cmid + " " + how);
    }

    private void failed(Msg m, String code, String message) {
        synchronized (m) {
            if (m.failed || m.ackNs != 0) {
                return;
            }
            m.failed = true;
        }
        failedMsgs.increment();
        stats.error(code, message);
    }

    /** A delivery of m to the other side: via a live event, a history page, or conversation.assigned. */
    private void delivered(Msg m, String messageId, String via, int gen, long now) {
        boolean first;
        boolean done = false;
        synchronized (m) {
            if (m.deliveredNs == 0) {
                m.deliveredNs = now;
                m.deliveredMessageId = messageId;
                if (via.equals("live")) {
                    m.liveGen = gen;
                }
                first = true;
                done = m.ackNs != 0;
            } else {
                first = false;
                if (repeated(m.cmid, Ledger.idHash(m.deliveredMessageId), m.liveGen, messageId, via, gen)) {
                    m.liveGen = gen;
                }
            }
        }
        if (first) {
            stats.delivered.increment();
            long lat = now - m.intendedNs;
            if (m.phase) { // a conversation's first message is measured as routing, not here
                stats.record(m.c2a ? "c2a" : "a2c", lat);
                stats.record("e2e", lat);
            }
            if (done) {
                completed(m);
            }
        }
    }

    // ------------------------------------------------------------------ phases

    /** Customers connect at openRate and each opens a conversation; waits until all are routed. */
    private void openConversations() throws Exception {
        openConversations(customers);
    }

    private void openConversations(List<Cust> list) throws Exception {
        openConversations(list, cfg.getDouble("openRate", 100.0));
    }

    private void openConversations(List<Cust> list, double rate) throws Exception {
        phase = phase.equals("warmup") ? phase : "open";
        new Pacer().run(rate, list.size(), 0, (i, due) -> connectCustomer(list.get((int) i), due, true));
        awaitRouted(list);
    }

    /**
     * Waits for routing while it makes progress: gives up after openTimeoutS without a new routed
     * conversation, or after openMaxS in all.
     */
    private void awaitRouted(List<Cust> list) throws Exception {
        long now0 = System.nanoTime();
        long hardDeadline = now0 + TimeUnit.SECONDS.toNanos(cfg.getInteger("openMaxS", 300));
        long idleNs = TimeUnit.SECONDS.toNanos(cfg.getInteger("openTimeoutS", 30));
        int lastRouted = -1;
        long lastProgress = now0;
        while (System.nanoTime() < hardDeadline) {
            int routed = routedCount(list);
            if (routed + connectFailed.get() >= list.size()) {
                break;
            }
            long now = System.nanoTime();
            if (routed != lastRouted) {
                lastRouted = routed;
                lastProgress = now;
            } else if (now - lastProgress > idleNs) {
                break;
            }
            Thread.sleep(50);
        }
    }

    private int routedCount(List<Cust> list) {
        int n = 0;
        for (Cust c : list) {
            Conv conv = c.conv;
            if (c.joinedFlag && conv != null && conv.agent != null) {
                n++;
            }
        }
        return n;
    }

    private List<Conv> activeConversations() {
        return activeConversations(customers);
    }

    private List<Conv> activeConversations(List<Cust> list) {
        List<Conv> out = new ArrayList<>();
        for (Cust c : list) {
            Conv conv = c.conv;
            if (c.joinedFlag && conv != null && conv.agent != null) {
                out.add(conv);
            }
        }
        return out;
    }

    /** Open-loop traffic in both directions over the given conversations. */
    private Pacer traffic(List<Conv> active, double rate, long durationNs, Thread[] holder) {
        return traffic(active, rate, durationNs, holder, true);
    }

    private Pacer traffic(List<Conv> active, double rate, long durationNs, Thread[] holder, boolean measured) {
        Pacer p = new Pacer();
        int n = active.size();
        Bursts bursts = new Bursts();
        Thread t = new Thread(() -> {
            if (n == 0 || rate <= 0) {
                return;
            }
            p.run(rate, Long.MAX_VALUE, durationNs, rate > BURSTS_ABOVE_RATE ? SEND_QUANTUM_NS : 0, (i, due) -> {
                Conv conv = active.get((int) ((i / 2) % n));
                if (i % 2 == 0) {
                    Cust c = conv.cust;
                    bursts.add(c.idx, newMsg(true, due, measured, c, conv));
                } else {
                    bursts.add(conv.agent.idx, newMsg(false, due, measured, conv.cust, conv));
                }
            }, bursts::handOver);
        }, "pacer");
        holder[0] = t;
        t.start();
        return p;
    }

    /**
     * The pacer wakes at most this often and sends what is due in one go (at 6,000 msg/s six messages
     * a wake instead of one; the latency of each counts from its intended time).
     */
    private static final long SEND_QUANTUM_NS = 1_000_000;

    /**
     * Up to this rate the pacer wakes for each message, as it always did: bursts there hold about one
     * message and only delay it (at 1,000 msg/s they added ~1 ms to e2e p50, and p99 was 14-18 ms
     * against 10-11 ms, alternating).
     */
    private static final double BURSTS_ABOVE_RATE = 2000;

    /**
     * A burst's sends, gathered per event loop and handed to each loop in one task: the sockets are
     * written from their own loop, and a loop is woken once per burst instead of once per message
     * (a wake-up is a system call; at 6,000 msg/s they took a quarter of the pacer's CPU).
     */
    private final class Bursts {
        private final List<List<Msg>> perLoop = new ArrayList<>();

        Bursts() {
            for (int i = 0; i < loops.length; i++) {
                perLoop.add(new ArrayList<>());
            }
        }

        /** Queues a message for the loop of its sender's socket {@code idx} (the loop it was opened on, see onLoop). */
        void add(int idx, Msg m) {
            perLoop.get(Math.floorMod(idx, loops.length)).add(m);
        }

        void handOver() {
            for (int k = 0; k < loops.length; k++) {
                List<Msg> sends = perLoop.get(k);
                if (!sends.isEmpty()) {
                    perLoop.set(k, new ArrayList<>());
                    loops[k].runOnContext(v -> {
                        for (Msg m : sends) {
                            try {
                                if (m.c2a) {
                                    sendC2A(m.cust, m);
                                } else {
                                    sendA2C(m.conv, m);
                                }
                            } catch (RuntimeException e) {
                                stats.error("send_failed", e.toString());
                            }
                        }
                    });
                }
            }
        }
    }

    private long outstanding() {
        return stats.sent.sum() - complete.sum() - failedMsgs.sum();
    }

    private void drain() throws Exception {
        drain("drain", cfg.getInteger("drainS", 10));
    }

    /** Waits until every message sent is acked and delivered (or failed), at most {@code seconds}. */
    private void drain(String phaseName, int seconds) throws Exception {
        phase = phaseName;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && outstanding() > 0) {
            Thread.sleep(50);
        }
    }

    /** Lost, unacked and the rest, from every message's final state. */
    private JsonObject accounting() {
        long lost = 0, unacked = 0, deliveredUnacked = 0, lostC2A = 0, lostA2C = 0;
        List<String> lostSamples = new ArrayList<>();
        for (Msg m : ledger.inFlight()) {
            synchronized (m) {
                if (m.ackNs != 0 && m.deliveredNs == 0) {
                    lost++;
                    if (m.c2a) {
                        lostC2A++;
                    } else {
                        lostA2C++;
                    }
                    if (lostSamples.size() < 10) {
                        Conv conv = m.c2a ? (m.cust == null ? null : m.cust.conv) : m.conv;
                        String agentSaw = "";
                        if (conv != null) {
                            synchronized (conv) {
                                agentSaw = " agentSeenUpTo=" + (conv.agentSeen.length() - 1) + " agentFrom=" + conv.agentFrom;
                            }
                        }
                        lostSamples.add((m.c2a ? "c2a " : "a2c ") + m.cmid + " messageId=" + m.ackMessageId
                                + " conversation=" + (conv == null ? "?" : conv.id) + " seq=" + m.ackSeq
                                + (m.resent ? " resent" : "") + agentSaw);
                    }
                } else if (m.ackNs == 0 && m.deliveredNs == 0) {
                    unacked++;
                } else if (m.ackNs == 0) {
                    deliveredUnacked++;
                }
            }
        }
        long seqGaps = 0;
        if (switchboard && !scenario.equals("idle")) {
            for (Cust c : customers) {
                synchronized (c) {
                    int max = c.seen.length() - 1;
                    if (max >= 1) {
                        seqGaps += max - c.seen.get(1, max + 1).cardinality();
                    }
                }
            }
        }
        double windowS = phaseStartNs == 0 ? 0 : Math.max(1e-9, (Math.max(lastAckNs, phaseStartNs) - phaseStartNs) / 1e9);
        return new JsonObject()
                .put("sent", stats.sent.sum()).put("acked", stats.acked.sum()).put("delivered", stats.delivered.sum())
                .put("lost", lost).put("lostC2A", lostC2A).put("lostA2C", lostA2C).put("lostSamples", new JsonArray(lostSamples))
                .put("duplicated", stats.duplicated.sum()).put("storedTwice", storedTwice.sum())
                .put("unacked", unacked).put("deliveredUnacked", deliveredUnacked).put("failed", failedMsgs.sum())
                .put("overlap", stats.overlap.sum()).put("observerDeliveries", stats.observerDeliveries.sum())
                .put("unroutedDeliveries", unrouted.sum()).put("systemMessages", systemMessages.sum())
                .put("queuePositions", queued.sum()).put("resent", resent.sum()).put("agentGapReads", gapReads.sum()).put("resyncs", resyncs.sum()).put("resyncReads", resyncReads.sum()).put("seqGaps", seqGaps)
                .put("phaseAcked", phaseAcked.sum()).put("windowAcked", windowAcked.sum()).put("phaseWindowS", windowS)
                .put("connected", stats.connected.sum()).put("connectFailed", connectFailed.get())
                .put("dropped", stats.dropped.sum()).put("customers", customers.size()).put("agents", agents.size())
                .put("conversations", activeConversations().size());
    }

    /** Resolves this run's conversations (Switchboard), so agents' capacity is free for the next run. */
    private void resolveAll() {
        if (!switchboard || !cfg.getBoolean("resolve", true)) {
            return;
        }
        phase = "resolve";
        List<Future<JsonObject>> all = new ArrayList<>();
        for (AgentC a : agents) {
            List<Conv> list;
            synchronized (a.mine) {
                list = new ArrayList<>(a.mine);
            }
            for (Conv c : list) {
                all.add(a.conn.request(new JsonObject().put("type", "conversation.status").put("conversationId", c.id)
                        .put("status", "done")));
                if (all.size() % 200 == 0) {
                    try {
                        Future.join(new ArrayList<>(all)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    } catch (Exception ignored) {
                        // best effort
                    }
                }
            }
        }
        try {
            Future.join(all).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ scenarios

    /**
     * Warms the server's and this generator's JIT on a few extra conversations at the run's rate,
     * recording nothing; their conversations are then resolved and their sockets closed. Lost and
     * duplicated messages are still counted for them.
     */
    private void warmup() throws Exception {
        double warmS = cfg.getDouble("warmupS", 0.0);
        if (warmS <= 0 || agents.isEmpty()) {
            return;
        }
        phase = "warmup";
        stats.recording = false;
        List<Cust> warm = newCustomers(1_000_000, Math.max(agents.size(), Math.min(100, customers.size() / 4 + 1)));
        openConversations(warm);
        List<Conv> active = activeConversations(warm);
        Thread[] t = new Thread[1];
        long warmNs = TimeUnit.MILLISECONDS.toNanos((long) (warmS * 1000));
        traffic(active, cfg.getDouble("rate", 1000.0), warmNs, t, false);
        // Meanwhile new customers arrive at the open rate, so that the measured open phase does not
        // time the JIT of the connect and routing paths (a hundred conversations do not warm them).
        // They hold their agents' capacity until the warm-up ends: at most half of it (the rest, and
        // more, is for the measured customers once the warm-up's conversations are resolved).
        double openRate = cfg.getDouble("openRate", 100.0);
        int room = Math.min(MAX_WARM_ARRIVALS, agentsRoom() - warm.size());
        List<Cust> arriving = newCustomers(2_000_000, (int) Math.min(room, openRate * warmS));
        new Pacer().run(openRate, arriving.size(), warmNs, (i, due) -> connectCustomer(arriving.get((int) i), due, true));
        if (t[0] != null) {
            t[0].join();
        }
        // A cold server falls behind at high rates (JIT) and may still hold seconds of the warm-up's
        // messages: its conversations are resolved only once it has caught up, or a customer's message
        // still on its way would open a new conversation, and closing the sockets would cut off acks.
        drain("warmup drain", cfg.getInteger("warmDrainS"));
        phase = "warmup";
        awaitRouted(arriving);
        active.addAll(activeConversations(arriving));
        warm.addAll(arriving);
        if (switchboard && scenario.equals("storm")) {
            warmReconnect(active);
        }
        leave(active, warm);
        churn();
        joined.set(0);
        connectFailed.set(0);
        stats.connected.reset();
        Thread.sleep(500);
        stats.recording = true;
        warmCustomers = warm;
    }

    private List<Cust> warmCustomers = List.of();

    /** Their agents resolve these conversations, then the customers close their sockets. */
    private void leave(List<Conv> active, List<Cust> custs) {
        if (switchboard) {
            List<Future<JsonObject>> all = new ArrayList<>();
            for (Conv c : active) {
                all.add(c.agent.conn.request(new JsonObject().put("type", "conversation.status").put("conversationId", c.id).put("status", "done")));
                synchronized (c.agent.mine) {
                    c.agent.mine.remove(c);
                }
            }
            try {
                Future.join(all).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
        }
        for (Cust c : custs) {
            synchronized (c) {
                c.discard = true; // one still connecting closes itself
            }
            if (c.conn != null) {
                c.conn.close();
            }
        }
    }

    /**
     * The warm-up's churn: {@code warmChurn} more customers arrive at {@code warmupRate}, are routed,
     * resolved and leave, in rounds that fit in the agents' room. Why: the customers that arrive during
     * the warm-up traffic (at most 2,000, at the open rate) are too few for C2 to compile the
     * connect and first-message paths; JIT logs of a routing run showed both JVMs' C2 compiling the
     * handshake, routing and connection code through the first ~8 s of the measured open phase, whose
     * p50 was 5-9 ms there against ~4 ms after it.
     */
    private void churn() throws Exception {
        int left = cfg.getInteger("warmChurn", 0);
        int room = Math.min(MAX_WARM_ARRIVALS, Math.max(1, agentsRoom()));
        int first = 3_000_000;
        while (left > 0) {
            List<Cust> round = newCustomers(first, Math.min(left, room));
            openConversations(round, cfg.getDouble("warmupRate", 250.0));
            leave(activeConversations(round), round);
            first += round.size();
            left -= round.size();
        }
    }

    /** n customers numbered from {@code first}, spread over this worker's widgets. */
    private List<Cust> newCustomers(int first, int n) {
        JsonArray widgets = cfg.getJsonArray("widgetKeys", new JsonArray().add("none"));
        List<Cust> list = new ArrayList<>(Math.max(0, n));
        for (int i = 0; i < n; i++) {
            list.add(new Cust(first + i, widgets.getString(i % widgets.size())));
        }
        return list;
    }

    /** At most this many extra customers arrive during a warm-up (each holds a socket until its end). */
    private static final int MAX_WARM_ARRIVALS = 2000;

    /** The warm-up's share of the agents' capacity: half of it (the rest is the measured customers'); no limit for a baseline. */
    private int agentsRoom() {
        return switchboard ? agents.size() * cfg.getInteger("maxChats", 0) / 2 : Integer.MAX_VALUE;
    }

    /**
     * Storm's warm-up: the warm-up customers drop and come back {@code warmStorms} times, unmeasured,
     * so that the storm does not time the JIT of the reconnect, history and resend paths (the
     * server's and ours). Once was not enough: JIT logs of the storm's window still showed ~450
     * compilations in the server and ~380 in a generator, C2 taking a sixth of the machine.
     */
    private void warmReconnect(List<Conv> active) throws Exception {
        List<Cust> back = new ArrayList<>();
        for (Conv c : active) {
            back.add(c.cust);
        }
        for (int round = cfg.getInteger("warmStorms", 3); round > 0; round--) {
            dropAll(back, false);
            reconnectAll(back);
            resumed.set(0);
        }
        lastResumedNs.set(0);
        reconnectRetries.reset();
    }

    private JsonObject chat() throws Exception {
        connectAgents();
        warmup();
        barrier("ready", new JsonObject());
        openConversations();
        List<Conv> active = activeConversations();
        barrier("opened", new JsonObject().put("conversations", active.size()).put("customers", customers.size()));
        phase = "chat";
        double rate = cfg.getDouble("rate", 1000.0);
        long durNs = TimeUnit.MILLISECONDS.toNanos((long) (cfg.getDouble("durationS", 20.0) * 1000));
        phaseStartNs = System.nanoTime();
        Thread[] t = new Thread[1];
        traffic(active, rate, durNs, t);
        if (t[0] != null) {
            t[0].join();
        }
        drain();
        JsonObject acc = accounting();
        barrier("measured", new JsonObject());
        resolveAll();
        return acc;
    }

    private JsonObject storm() throws Exception {
        connectAgents();
        warmup();
        barrier("ready", new JsonObject());
        openConversations();
        List<Conv> active = activeConversations();
        barrier("opened", new JsonObject().put("conversations", active.size()).put("customers", customers.size()));
        phase = "traffic";
        double rate = cfg.getDouble("rate", 200.0);
        double stormAfterS = cfg.getDouble("stormAfterS", 2.0);
        double afterS = cfg.getDouble("afterS", 5.0);
        long durNs = TimeUnit.MILLISECONDS.toNanos((long) (cfg.getDouble("durationS", 15.0) * 1000));
        phaseStartNs = System.nanoTime();
        Thread[] t = new Thread[1];
        // open-ended: the traffic runs before, during and after the storm and is stopped below
        Pacer traffic = traffic(active, rate, 0, t);
        Thread.sleep((long) (stormAfterS * 1000));
        phase = "storm";
        List<Cust> storming = new ArrayList<>();
        if (!"survivor".equals(crash)) {
            for (Conv c : active) {
                storming.add(c.cust);
            }
        }
        stormCount = storming.size();
        long disconnectedNs;
        if (crash != null) {
            disconnectedNs = crashNode(storming);
        } else {
            stormStartNs = System.nanoTime();
            dropAll(storming, true);
            disconnectedNs = System.nanoTime();
            long gapMs = cfg.getInteger("stormGapMs", 0);
            if (gapMs > 0) {
                Thread.sleep(gapMs);
            }
            phase = "reconnect";
            reconnectAll(storming);
        }
        boolean allBack = resumed.get() >= storming.size();
        long lastResumed = lastResumedNs.get();
        phase = "after";
        // traffic goes on for afterS once everyone is back (and at least to the end of durationS)
        long stopAt = Math.max(phaseStartNs + durNs, System.nanoTime() + (long) (afterS * 1e9));
        while (System.nanoTime() < stopAt) {
            Thread.sleep(Math.max(1, Math.min(200, (stopAt - System.nanoTime()) / 1_000_000)));
        }
        traffic.stop();
        if (t[0] != null) {
            t[0].join();
        }
        drain();
        JsonObject acc = accounting().put("stormPlanned", "survivor".equals(crash) ? 0 : customers.size())
                .put("stormCustomers", storming.size()).put("resumed", resumed.get())
                .put("reconnectRetries", reconnectRetries.sum()).put("crashClosed", killClosed.sum())
                .put("crashAgents", crashAgents ? agents.size() : 0).put("agentsResumed", agentsResumed.get());
        if (!storming.isEmpty()) { // a crash run's surviving nodes have nothing of their own to time
            acc.put("disconnectMs", Hist.ms((disconnectedNs - stormStartNs) / 1000))
                    .put("allResumedMs", allBack ? Hist.ms((lastResumed - reconnectStartNs) / 1000) : null)
                    .put("allResumedFromDisconnectMs", allBack ? Hist.ms((lastResumed - stormStartNs) / 1000) : null)
                    .put("sentBeforeStorm", sentBefore.sum()).put("sentDuringStorm", sentDuring.sum()).put("sentAfterStorm", sentAfter.sum());
        }
        barrier("measured", new JsonObject());
        resolveAll();
        return acc;
    }

    private volatile long reconnectStartNs;
    private volatile int stormCount = Integer.MAX_VALUE;
    private volatile long reconnectDeadlineNs;
    private final java.util.concurrent.atomic.AtomicLong lastResumedNs = new java.util.concurrent.atomic.AtomicLong();
    private final LongAdder reconnectRetries = new LongAdder();
    private final LongAdder sentBefore = new LongAdder();
    private final LongAdder sentDuring = new LongAdder();
    private final LongAdder sentAfter = new LongAdder();

    private final LongAdder killClosed = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong lastKillCloseNs = new java.util.concurrent.atomic.AtomicLong();

    /**
     * storm --crash: the orchestrator kills this process' node (SIGKILL) at the "crash" barrier, and
     * sends the kill's time with GO (System.nanoTime is the machine's monotonic clock, the same in
     * every process). Each customer reconnects to a surviving node as soon as its socket closes, and
     * resumes as in a storm (history after its last seq, then its unacked messages again). Messages
     * go on being sent until then; the ones the dead node never acked stay unacked and are resent.
     * Returns when the last socket closed (the survivors: at once).
     */
    private long crashNode(List<Cust> victims) throws Exception {
        if (!victims.isEmpty() || crashAgents) {
            reconnectPort = cfg.getInteger("failoverPort", port);
            for (Cust c : victims) {
                synchronized (c) {
                    c.crashed = true; // its close starts its failover, and the failures it brings are not errors
                }
            }
            if (crashAgents) {
                agents.forEach(a -> a.crashed = true);
            }
        }
        String go = barrier("crash", new JsonObject().put("victims", victims.size()));
        long killNs = Long.parseLong(go.substring(2).trim());
        stormStartNs = killNs;
        if (victims.isEmpty() && !crashAgents) {
            return killNs;
        }
        phase = "reconnect";
        List<Runnable> closedEarly;
        synchronized (crashWaiting) {
            reconnectStartNs = killNs; // every reconnect and resume is timed from the kill
            reconnectDeadlineNs = killNs + TimeUnit.SECONDS.toNanos(cfg.getInteger("resumeTimeoutS", 60));
            closedEarly = new ArrayList<>(crashWaiting);
            crashWaiting.clear();
            killKnown = true;
        }
        closedEarly.forEach(Runnable::run);
        awaitResumed(victims.size());
        if (crashAgents) {
            while (agentsResumed.get() < agents.size() && System.nanoTime() < reconnectDeadlineNs) {
                Thread.sleep(5);
            }
        }
        return lastKillCloseNs.get() == 0 ? killNs : lastKillCloseNs.get();
    }

    /** storm --crash: the reconnects of sockets closed before the kill's time arrived; they run once it has. */
    private final List<Runnable> crashWaiting = new ArrayList<>();
    private boolean killKnown;

    /** Runs {@code reconnect} now, or once the kill's time is known (so that it is timed from the kill). */
    private void afterKill(Runnable reconnect) {
        synchronized (crashWaiting) {
            if (!killKnown) {
                crashWaiting.add(reconnect);
                return;
            }
        }
        reconnect.run();
    }

    /** Returns once {@code n} customers have resumed, or at the resume deadline. */
    private void awaitResumed(int n) throws InterruptedException {
        while (resumed.get() < n && System.nanoTime() < reconnectDeadlineNs) {
            Thread.sleep(5);
        }
    }

    /** Everyone drops at once: a last message goes out unanswered (resent after the reconnect), then the socket closes. */
    private void dropAll(List<Cust> list, boolean measured) {
        for (Cust c : list) {
            sendC2A(c, newMsg(true, System.nanoTime(), measured, c, c.conv));
            synchronized (c) {
                c.online = false;
                c.stormClosing = true;
            }
            c.conn.close();
        }
    }

    /** Everyone reconnects at once and resumes; returns when all have, or at the resume deadline. */
    private void reconnectAll(List<Cust> list) throws InterruptedException {
        reconnectStartNs = System.nanoTime();
        reconnectDeadlineNs = reconnectStartNs + TimeUnit.SECONDS.toNanos(cfg.getInteger("resumeTimeoutS", 60));
        for (Cust c : list) {
            reconnect(c);
        }
        awaitResumed(list.size());
    }

    private void reconnect(Cust c) {
        onLoop(c.idx, () -> reconnectNow(c));
    }

    private void reconnectNow(Cust c) {
        Conn.open(client(c.idx), host, reconnectPort, customerUri(c), sio, timeoutMs(), c::onEvent, c::onMessage, c::onClose)
                .onSuccess(conn -> {
                    long now = System.nanoTime();
                    stats.record("reconnect", now - reconnectStartNs);
                    stats.openSockets.increment();
                    JsonObject hc = conn.hello.getJsonObject("conversation");
                    if (hc == null || c.conv == null || !c.conv.id.equals(hc.getString("id"))) {
                        stats.error("resume_wrong_conversation", "customer " + c.idx + " hello " + conn.hello.encode());
                    }
                    int after;
                    synchronized (c) {
                        c.gen++;
                        c.conn = conn;
                        c.stormClosing = false;
                        c.crashed = false; // back: a close from now on is news again
                    }
                    history(c, conn, c.completeSeq());
                })
                .onFailure(t -> retryReconnect(t, () -> reconnect(c)));
    }

    private void history(Cust c, Conn conn, int afterSeq) {
        c.readSeen(conn, afterSeq, Long.MAX_VALUE, () -> resend(c, conn), () -> { }); // failed: not resumed, which the verdict reports
    }

    /** After history: the messages never acked go out again with the same clientMsgId, then the rest. */
    private void resend(Cust c, Conn conn) {
        List<Msg> again;
        synchronized (c) {
            again = new ArrayList<>(c.unacked.values());
            c.online = true;
        }
        sendAgain(again, m -> conn.sendMessage(null, m.cmid, quotedText).onComplete(ar -> {
            if (ar.succeeded()) {
                ackedC2A(c, m, ar.result());
            } else {
                Throwable t = ar.cause();
                failed(m, t instanceof Conn.ErrorReply e ? e.code : "request_failed", t.getMessage());
            }
        })).onComplete(x -> {
            long now = System.nanoTime();
            stats.record("resume", now - reconnectStartNs);
            lastResumedNs.accumulateAndGet(now, Math::max);
            resumed.incrementAndGet();
        });
    }

    /**
     * Idle's warm-up: extra sockets connected at the ramp rate for warmupS seconds and closed again,
     * recorded nowhere, so the measured ramp does not time the JIT of the generator's client and of
     * the server's handshake path.
     */
    private void idleWarmup() throws Exception {
        double warmS = cfg.getDouble("warmupS", 0.0);
        // gentle: it warms code, it does not load the server (a cold server takes fewer connects a second)
        double rampRate = Math.min(cfg.getDouble("rampRate", 500.0), cfg.getDouble("warmupRate", 250.0));
        int n = (int) Math.min(Math.max(customers.size(), 200), warmS * rampRate);
        if (n <= 0) {
            return;
        }
        phase = "warmup";
        stats.recording = false;
        List<Cust> warm = newCustomers(2_000_000, n);
        Pacer p = new Pacer();
        p.run(rampRate, n, 0, (i, due) -> connectCustomer(warm.get((int) i), due, false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stats.connected.sum() + connectFailed.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<Future<Void>> closes = new ArrayList<>();
        for (Cust c : warm) {
            synchronized (c) {
                c.discard = true; // one that connects only now is closed at once (connectCustomerNow)
            }
            if (c.conn != null) {
                closes.add(c.conn.close());
            }
        }
        try {
            Future.join(closes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort
        }
        Thread.sleep(500);
        connectFailed.set(0);
        stats.connected.reset();
        stats.recording = true;
    }

    private JsonObject idle() throws Exception {
        idleWarmup();
        barrier("ready", new JsonObject());
        phase = "ramp";
        double rampRate = cfg.getDouble("rampRate", 500.0);
        Pacer p = new Pacer();
        p.run(rampRate, customers.size(), 0, (i, due) -> connectCustomer(customers.get((int) i), due, false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cfg.getInteger("openTimeoutS", 30));
        while (stats.connected.sum() + connectFailed.get() < customers.size() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        barrier("connected", new JsonObject().put("connected", stats.connected.sum()));
        phase = "hold";
        double pingInterval = cfg.getDouble("pingIntervalS", 10.0);
        long durNs = TimeUnit.MILLISECONDS.toNanos((long) (cfg.getDouble("durationS", 30.0) * 1000));
        int n = customers.size();
        Pacer pings = new Pacer();
        pings.run(Math.max(1.0, n / pingInterval), Long.MAX_VALUE, durNs, (i, due) -> {
            Cust c = customers.get((int) (i % n));
            Conn conn = c.conn;
            if (conn == null || !conn.isOpen()) {
                return;
            }
            stats.sent.increment();
            conn.request(new JsonObject().put("type", "ping")).onComplete(ar -> {
                if (ar.succeeded()) {
                    stats.acked.increment();
                    stats.record("ping", System.nanoTime() - due);
                } else {
                    Throwable t = ar.cause();
                    stats.error(t instanceof Conn.ErrorReply e ? e.code : "ping_failed", t.getMessage());
                }
            });
        });
        long open = stats.openSockets.sum();
        barrier("measured", new JsonObject());
        return new JsonObject().put("connected", stats.connected.sum()).put("connectFailed", connectFailed.get())
                .put("openAtEnd", open).put("dropped", stats.dropped.sum()).put("customers", n)
                .put("pings", stats.sent.sum()).put("pingAcks", stats.acked.sum())
                .put("sent", 0).put("delivered", 0).put("lost", 0).put("duplicated", 0);
    }
}
