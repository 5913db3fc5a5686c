package io.switchboard.gateway;

import io.switchboard.boot.Services;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.config.Config;
import io.switchboard.domain.Agent;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.http.ApiRouter;
import io.switchboard.http.RequestLoop;
import io.switchboard.protocol.Audience;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.protocol.FrameDecoder;
import io.switchboard.protocol.Frames;
import io.switchboard.protocol.JsonWire;
import io.switchboard.protocol.Views;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One socket-serving verticle (deployed once per core): the HTTP server with the API and the two
 * WebSocket endpoints, the hub of its own sockets, and their pings. Wiring only: the rules live in
 * the services.
 */
public final class GatewayVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
    private static final AtomicLong SESSIONS = new AtomicLong();
    private static final Buffer PING = Buffer.buffer("sb");
    private static final long EVENT_LOOP_PROBE_NANOS = 1_000_000_000L;
    /** Sockets of one verticle reading for a {@code resync} at once (see {@link #resyncAll}). */
    private static final int AGENT_RESYNCS_IN_FLIGHT = 4;
    private static final int CUSTOMER_RESYNCS_IN_FLIGHT = 64;
    /** How long a resync's read may hold a socket's events before the socket is closed instead. */
    private static final long RESYNC_READ_LIMIT_MS = 10_000;

    private final Services services;
    private final Config config;
    private final FrameDecoder customerDecoder;
    private final FrameDecoder agentDecoder;
    private Hub hub;
    private long pingTicks;
    private Fanout.Registration deliveries;
    private HttpServer server;

    public GatewayVerticle(Services services, int port) {
        this.services = services;
        this.config = services.config().withHttpPort(port);
        this.customerDecoder = new FrameDecoder(FrameDecoder.Role.CUSTOMER, config.maxTextChars());
        this.agentDecoder = new FrameDecoder(FrameDecoder.Role.AGENT, config.maxTextChars());
    }

    @Override
    public Future<?> start() {
        hub = new Hub(services.metrics(), services.fanout());
        deliveries = services.fanout().subscribe(hub::deliver, hub.topics(), this::resyncAll);
        // In a cluster a registration reaches the other nodes asynchronously: wait for it before serving.
        Future<Void> registered = Future.all(
                services.control().onAgentChanged(this::agentChanged).completion(),
                services.control().onStatusChanged(services.presence()::statusChangedElsewhere).completion()).mapEmpty();
        vertx.setPeriodic(1000L, id -> pingSlice());
        probeEventLoop();

        Router router = Router.router(vertx);
        router.route().handler(RequestLoop::remember);
        Upgrades upgrades = new Upgrades(services.auth());
        router.get("/ws/customer").handler(ctx -> upgrades.customer(ctx, this::startCustomer));
        router.get("/ws/agent").handler(ctx -> upgrades.agent(ctx, this::startAgent));
        ApiRouter.mount(vertx, router, services);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.httpHost())
                .setPort(config.httpPort())
                .setMaxWebSocketFrameSize(config.maxFrameBytes())
                .setMaxWebSocketMessageSize(config.maxFrameBytes())
                .setTcpNoDelay(true)
                .setCompressionSupported(true)
                // Every response and upgrade is written from this verticle's event loop, so the HTTP
                // connection needs no cross-thread write queue: without it each socket holds ~4.7 kB less
                // (a 1,024-slot MPSC queue that the upgraded request keeps alive as long as the socket).
                .setStrictThreadMode(true);
        return registered.compose(v -> vertx.createHttpServer(options).requestHandler(router).listen())
                .onSuccess(s -> server = s);
    }

    /** The port this verticle's server listens on. */
    public int port() {
        return server.actualPort();
    }

    /** Stops reading frames from every socket (shutdown: finish what is in flight, accept nothing new). */
    public Future<Void> quiesce() {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            for (Session s : hub.all()) {
                if (!s.isClosed()) {
                    s.ws.pause();
                }
            }
            done.complete();
        });
        return done.future();
    }

    /** Closes every socket with 1001 ("going away": reconnect), then the server. */
    @Override
    public Future<?> stop() {
        deliveries.cancel();
        for (Session s : new ArrayList<>(hub.all())) {
            s.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        return server == null ? Future.succeededFuture() : server.close();
    }

    private RateLimit rateLimit() {
        return new RateLimit(config.rateLimitPerSecond(), config.rateLimitBurst(), System.currentTimeMillis());
    }

    private String nextSessionId() {
        return services.nodeId() + "-" + SESSIONS.incrementAndGet();
    }

    private void startCustomer(ServerWebSocket ws, AuthService.VisitorSession vs) {
        ws.setWriteQueueMaxSize(config.writeQueueMaxBytes());
        CustomerSession session = new CustomerSession(nextSessionId(), ws, customerDecoder, services.metrics(), rateLimit(),
                config.maxFrameBytes(), vs.visitor(), services.conversations(), services.invites());
        services.metrics().socketOpened("customer");
        session.attach(() -> {
            hub.remove(session);
            services.metrics().socketClosed("customer");
        });
        Future<Void> here = hub.add(session, List.of(Topics.visitor(vs.visitor().id())));
        Future<Optional<ConversationSummary>> current;
        if (vs.created()) {
            // A visitor seen for the first time has nothing to miss and no conversation: greeted at once,
            // without a query. Until its first message, nothing can be addressed to it: that message
            // waits until every node knows where the visitor is (at once on a node alone).
            session.messagesAfter(here);
            current = Future.succeededFuture(Optional.empty());
        } else {
            current = here.compose(v -> services.conversations().currentOf(vs.visitor()));
        }
        current.onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("cannot greet visitor {}: {}", vs.visitor().id(), ar.cause().toString());
                session.close(CloseCodes.INTERNAL, "try again");
                return;
            }
            session.resume(ar.result().map(c -> c.id()).orElse(null));
            session.ready(JsonWire.encode(new JsonObject()
                    .put("type", "hello")
                    .put("protocol", Frames.PROTOCOL_VERSION)
                    .put("role", "customer")
                    .put("visitor", new JsonObject().put("id", vs.visitor().id()).put("token", vs.token()))
                    .put("conversation", customerView(ar.result()))));
        });
    }

    private static JsonObject customerView(Optional<ConversationSummary> current) {
        return current.map(c -> Views.summary(c, Audience.CUSTOMER)).orElse(null);
    }

    private static JsonObject inboxView(ConversationService.Inbox inbox) {
        return new JsonObject()
                .put("unassigned", Views.list(inbox.unassigned(), c -> Views.summary(c, Audience.AGENT)))
                .put("mine", Views.list(inbox.mine(), c -> Views.summary(c, Audience.AGENT)));
    }

    private void startAgent(ServerWebSocket ws, Agent agent) {
        ws.setWriteQueueMaxSize(config.writeQueueMaxBytes());
        AgentSession session = new AgentSession(nextSessionId(), ws, agentDecoder, agent, services, rateLimit());
        services.metrics().socketOpened("agent");
        session.attach(() -> {
            hub.remove(session);
            services.metrics().socketClosed("agent");
            services.presence().disconnected(session.agent());
        });
        // Presence first, as on one node (a close meanwhile must find it); the inbox once every node knows.
        Future<Void> here = hub.add(session, Topics.of(agent.principal()));
        services.presence().connected(agent)
                .compose(status -> here.compose(v -> services.conversations().inbox(agent.principal())).map(inbox -> new JsonObject()
                        .put("type", "hello")
                        .put("protocol", Frames.PROTOCOL_VERSION)
                        .put("role", "agent")
                        .put("agent", Views.agent(agent))
                        .put("status", status.wire())
                        .put("inbox", inboxView(inbox))))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.error("cannot greet agent {}: {}", agent.id(), ar.cause().toString());
                        session.close(CloseCodes.INTERNAL, "try again");
                    } else {
                        session.ready(JsonWire.encode(ar.result()));
                    }
                });
    }

    /**
     * Another node of the cluster was lost (killed, or cut off, without a bye): what it stored and
     * acked in its last moments (a message, a note, an assignment) may never reach the sockets here as
     * events. They are sent {@code resync} with what their {@code hello} would say now, the customer's
     * current conversation or the agent's inbox, and read what they show again from there
     * (docs/protocol.md, "Several nodes"): every agent socket, and every customer socket with a
     * conversation (one without has nothing to miss). Any agent may have been on the lost node, and a
     * socket can have heard from no node before the very event that was lost (an agent's first reply,
     * a conversation assigned to an agent).
     *
     * <p>A socket's events wait while its state is read, as they do for hello, so that none overtakes
     * the state. Reading every socket of a node at once held the hellos of the customers failing over
     * from the lost node up by seconds: a few agents' inboxes at a time, and customers' conversations
     * in batches ({@code currentOf} reads those asked for together in one query).
     */
    private void resyncAll(String lost) {
        ArrayDeque<Session> agents = new ArrayDeque<>();
        ArrayDeque<Session> customers = new ArrayDeque<>();
        for (Session s : hub.all()) {
            if (s instanceof AgentSession) {
                agents.add(s);
            } else if (s instanceof CustomerSession c && (c.hasConversation() || c.hadEvents() || !c.isGreeted())) {
                // One with a conversation, or a tab that follows one another tab opened, or one whose
                // hello's read may have come before the lost node's last commit; one with none has nothing to miss.
                customers.add(s);
            }
        }
        LOG.info("cluster node {} was lost: {} agent and {} customer socket(s) here read again", lost, agents.size(), customers.size());
        for (int i = 0; i < AGENT_RESYNCS_IN_FLIGHT; i++) {
            resyncNext(agents);
        }
        for (int i = 0; i < CUSTOMER_RESYNCS_IN_FLIGHT; i++) {
            resyncNext(customers);
        }
    }

    /** Sends the next socket of {@code due} its {@code resync}, then the one after (on this verticle's loop). */
    private void resyncNext(ArrayDeque<Session> due) {
        Session s = due.poll();
        while (s != null && (s.isClosed() || !s.hold())) {
            s = due.poll();
        }
        if (s == null) {
            return;
        }
        Session to = s;
        Future<JsonObject> state;
        try {
            state = to instanceof AgentSession a
                    ? services.conversations().inbox(a.principal()).map(inbox -> new JsonObject().put("inbox", inboxView(inbox)))
                    : services.conversations().currentOf(((CustomerSession) to).visitor())
                            .map(current -> new JsonObject().put("conversation", customerView(current)));
        } catch (RuntimeException e) {
            state = Future.failedFuture(e);
        }
        // A read that never ends must not hold the socket's events for ever: past the limit it is given up.
        state.timeout(RESYNC_READ_LIMIT_MS, TimeUnit.MILLISECONDS)
                .onComplete(ar -> context.runOnContext(v -> settle(to, due, ar.cause(), ar.result())));
    }

    /**
     * A socket's resync read ended: its resync goes out, then its held events. One whose read failed
     * is closed with 1013 (what it missed cannot be told, and its reconnect's hello reads it); one
     * whose hold was refused meanwhile (another node lost during the read) is read again.
     */
    private void settle(Session to, ArrayDeque<Session> due, Throwable failure, JsonObject state) {
        boolean again;
        if (failure != null) {
            LOG.warn("cannot tell socket {} ({}) to read again ({}): closing it, its reconnect reads", to.id, to.describe(), failure.toString());
            to.release(null);
            to.close(CloseCodes.TRY_AGAIN_LATER, "reconnect and resume");
            again = false;
        } else {
            again = to.release(JsonWire.encode(new JsonObject().put("type", "resync").put("reason", "node_lost").mergeIn(state)));
        }
        if (again) {
            due.addFirst(to);
        }
        resyncNext(due);
    }

    /** An agent's role or teams changed: its sockets here listen to its new topics from now on. */
    private void agentChanged(String agentId) {
        List<Session> sessions = new ArrayList<>(hub.in(Topics.agent(agentId)));
        if (sessions.isEmpty()) {
            return;
        }
        services.auth().agentById(agentId).onSuccess(found -> {
            for (Session s : sessions) {
                if (!(s instanceof AgentSession as)) {
                    continue;
                }
                if (found.isEmpty()) {
                    as.close(CloseCodes.POLICY, "agent removed");
                } else {
                    as.changed(found.get());
                    services.presence().agentChanged(found.get());
                    hub.resubscribe(as, Topics.of(found.get().principal()));
                }
            }
        });
    }

    /** Measures how late this verticle's event loop runs a timer, once a second. */
    private void probeEventLoop() {
        long[] expected = {System.nanoTime() + EVENT_LOOP_PROBE_NANOS};
        vertx.setPeriodic(EVENT_LOOP_PROBE_NANOS / 1_000_000, id -> {
            long now = System.nanoTime();
            services.metrics().eventLoopDelay(now - expected[0]);
            expected[0] = now + EVENT_LOOP_PROBE_NANOS;
        });
    }

    /**
     * Pings one slice of the sockets a second, so that each is pinged once per interval; one silent
     * for three intervals is gone and is closed. Pinging
     * every socket at once stalled the event loop for hundreds of ms every interval with 19,000 of
     * them (ping round trips' p99 442 ms against the relay's 23 ms).
     */
    private void pingSlice() {
        int slices = config.pingIntervalSeconds();
        int slice = (int) (++pingTicks % slices);
        long deadline = System.currentTimeMillis() - 3L * slices * 1000;
        List<Session> due = new ArrayList<>();
        for (Session s : hub.all()) {
            if (Math.floorMod(s.id.hashCode(), slices) == slice) {
                due.add(s);
            }
        }
        // Closing happens after the loop over the hub: a close may remove its session from the hub.
        for (Session s : due) {
            if (s.lastSeen < deadline) {
                s.close(CloseCodes.GOING_AWAY, "idle");
            } else if (!s.isClosed()) {
                s.ws.writePing(PING);
            }
        }
    }
}
