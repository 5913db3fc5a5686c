package io.switchboard.boot;

import io.switchboard.bus.Control;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Members;
import io.switchboard.config.Config;
import io.switchboard.embedded.EmbeddedPostgresServer;
import io.switchboard.embedded.EmbeddedRedisServer;
import io.switchboard.embedded.FreePort;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.service.AdminService;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.switchboard.service.DirectoryService;
import io.switchboard.metrics.Gauges;
import io.switchboard.metrics.Metrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.switchboard.service.CatalogService;
import io.switchboard.service.InviteService;
import io.switchboard.store.pg.InviteStore;
import io.switchboard.service.AttachmentService;
import io.switchboard.service.Lanes;
import io.switchboard.service.Notices;
import io.switchboard.service.RoutingService;
import io.switchboard.store.pg.WorkspaceStore;
import io.switchboard.store.redis.RoutingStore;
import io.switchboard.service.Passwords;
import io.switchboard.service.PresenceService;
import io.switchboard.service.Tokens;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.pg.ConversationStore;
import io.switchboard.store.pg.MessageStore;
import io.switchboard.store.pg.Migrations;
import io.switchboard.store.pg.NoteStore;
import io.switchboard.store.pg.PgPools;
import io.switchboard.store.pg.Jdbc;
import io.switchboard.store.pg.ReadStore;
import io.switchboard.store.pg.TeamStore;
import io.switchboard.store.pg.VisitorStore;
import io.switchboard.store.pg.WidgetStore;
import io.switchboard.store.redis.PresenceStore;
import io.switchboard.store.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Switchboard node: its lifecycle from configuration to a listening server and back.
 * {@link #start} and {@link #stop} block and must be called from a plain thread (main, a shutdown
 * hook, a test), never from an event loop.
 */
public final class Switchboard {
    private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);
    private static final String DATABASE = "switchboard";
    private static final long UNSENT_SWEEP_MS = 15 * 60 * 1000L;
    /** How long a stop waits for a warm-up to wind down and remove its workspace. */
    private static final long WARMUP_CANCEL_MS = 30_000;

    private final Config config;
    private final EmbeddedPostgresServer embeddedPg;
    private final EmbeddedRedisServer embeddedRedis;
    private final Vertx vertx;
    private final Pool pool;
    private final Redis redis;
    private final Services services;
    private final Tokens tokens;
    private final List<GatewayVerticle> gateways;
    private final List<String> deployments;
    private final Seeder.Seed seed;
    private final List<Long> timers;
    private boolean stopped;
    /** The warm-up, once {@link #warmUp} began it (stop ends it early and waits for its clean-up). */
    private Warmup warmup;

    private Switchboard(Config config, EmbeddedPostgresServer embeddedPg, EmbeddedRedisServer embeddedRedis, Vertx vertx,
                        Pool pool, Redis redis, Services services, Tokens tokens, List<GatewayVerticle> gateways,
                        List<String> deployments, Seeder.Seed seed, List<Long> timers) {
        this.timers = timers;
        this.config = config;
        this.embeddedPg = embeddedPg;
        this.embeddedRedis = embeddedRedis;
        this.vertx = vertx;
        this.pool = pool;
        this.redis = redis;
        this.services = services;
        this.tokens = tokens;
        this.gateways = gateways;
        this.deployments = deployments;
        this.seed = seed;
    }

    /**
     * Starts a node: embedded servers when no external ones are configured, migrations, seed,
     * verticles. It listens when this returns; it is ready (for {@code /health/ready}) once
     * {@link #warmUp} has run, or at once when no warm-up is configured.
     */
    public static Switchboard start(Config requested) {
        EmbeddedPostgresServer pg = null;
        EmbeddedRedisServer rd = null;
        Vertx vertx = null;
        try {
            Config config = requested;
            LOG.info("starting Switchboard {}: http {}:{}, data {}, postgres {}, redis {}, cluster {}, log {}", Main.version(),
                    config.httpHost(), config.httpPort(), config.dataDir(), redacted(config.pgUrl()), redacted(config.redisUrl()),
                    config.cluster() ? config.clusterHost() + ":" + config.clusterPort() + " with " + config.clusterMembers() : "off",
                    config.logFormat());
            if (config.embeddedPostgres()) {
                pg = EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), true, config.embeddedPgPort());
                createDatabase(pg.url("postgres"), DATABASE);
            }
            if (config.embeddedRedis()) {
                rd = config.embeddedRedisPort() != 0 ? EmbeddedRedisServer.start(config.embeddedRedisPort())
                        : EmbeddedRedisServer.start();
            }
            config = config.withServers(pg != null ? pg.url(DATABASE) : config.pgUrl(), rd != null ? rd.url() : config.redisUrl());
            Migrations.apply(config.pgUrl());
            String secret = SigningKey.resolve(config.jwtSecret(), config.dataDir(), config.pgUrl());

            Metrics metrics = new Metrics();
            // Vert.x' own meters (pools of Postgres and Redis, HTTP server, event bus) go to the same registry.
            VertxOptions options = new VertxOptions().setPreferNativeTransport(true)
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                            // Per-message meters of the event bus and per-read byte counts of every socket cost more
                            // than they tell: deliveries and sockets are counted by ours (switchboard_*).
                            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS)
                            // The node's only HTTP client is its warm-up's, whose sockets are not its traffic.
                            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.HTTP_CLIENT)
                            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.NET_SERVER)
                            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.NET_CLIENT));
            MicrometerMetricsFactory metricsFactory = new MicrometerMetricsFactory(metrics.registry());
            Members members = null;
            if (config.cluster()) {
                Cluster.Joined joined = await(Cluster.join(config, options, metricsFactory));
                vertx = joined.vertx();
                members = joined.members();
                LOG.info("joined the cluster at {}:{} (members: {})", config.clusterHost(), config.clusterPort(),
                        config.clusterMembers());
            } else {
                vertx = Vertx.builder().with(options).withMetrics(metricsFactory).build();
            }
            Pool pool = PgPools.create(vertx, config.pgUrl(), config.pgPoolSize(), "postgres");
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
                    .setMaxPoolSize(8).setMaxPoolWaiting(4096));
            String nodeId = UUID.randomUUID().toString().substring(0, 8);
            Tokens tokens = new Tokens(vertx, secret, config.tokenTtlSeconds());
            Services services = wire(vertx, config, pool, redis, tokens, nodeId, members, metrics);
            // In a cluster: wait until this node knows which sockets the other nodes hold (Directory).
            await(services.fanout().start());
            Seeder.Seed seed = await(Seeder.run(vertx, pool, config.adminEmail(), config.adminPassword()));
            await(services.routing().rebuildIfLost());

            int instances = config.verticles() > 0 ? config.verticles() : Runtime.getRuntime().availableProcessors();
            List<GatewayVerticle> gateways = new ArrayList<>();
            List<String> deployments = new ArrayList<>();
            // Instances listening on one port share its server socket; Vert.x does not share port 0,
            // so "any free port" is settled here first.
            int port = config.httpPort() != 0 ? config.httpPort() : FreePort.find();
            for (int i = 0; i < instances; i++) {
                GatewayVerticle g = new GatewayVerticle(services, port);
                deployments.add(await(vertx.deployVerticle(g)));
                gateways.add(g);
            }
            GatewayVerticle first = gateways.get(0);
            for (GatewayVerticle g : gateways) {
                if (g.port() != first.port()) {
                    throw new IllegalStateException("gateway verticles listen on different ports: " + g.port() + ", " + first.port());
                }
            }
            List<Long> timers = schedule(vertx, services);

            Switchboard node = new Switchboard(config.withHttpPort(first.port()), pg, rd, vertx, pool, redis, services,
                    tokens, gateways, deployments, seed, timers);
            LOG.info("node {} listening on port {} with {} gateway verticles ({} transport)", services.nodeId(), node.port(), instances,
                    vertx.isNativeTransportEnabled() ? "native epoll" : "NIO");
            return node;
        } catch (RuntimeException e) {
            if (vertx != null) {
                vertx.close();
            }
            if (rd != null) {
                rd.close();
            }
            if (pg != null) {
                pg.close();
            }
            throw e;
        }
    }

    /** @param members null on a node alone */
    private static Services wire(Vertx vertx, Config config, Pool pool, Redis redis, Tokens tokens, String nodeId,
                                 Members members, Metrics metrics) {
        Fanout fanout = new Fanout(vertx, members, config.clusterAnswerMillis(), metrics.registry());
        Control control = new Control(vertx);
        RedisKeys keys = new RedisKeys(config.redisKeyPrefix());
        PresenceStore presenceStore = new PresenceStore(redis, keys, 3 * config.presenceHeartbeatSeconds());
        RoutingStore routingStore = new RoutingStore(redis, keys);
        AgentStore agents = new AgentStore(pool);
        WidgetStore widgets = new WidgetStore(pool);
        TeamStore teams = new TeamStore(pool);
        ConversationStore conversationStore = new ConversationStore(pool);
        MessageStore messages = new MessageStore(pool);
        Passwords passwords = new Passwords(vertx);
        Lanes lanes = new Lanes();
        Notices notices = new Notices(messages, lanes, fanout);
        WorkspaceStore workspaces = new WorkspaceStore(pool);
        RoutingService routing = new RoutingService(conversationStore, teams, workspaces, routingStore, fanout,
                lanes, notices, config.realertSeconds() * 1000L, metrics, control);
        CatalogService catalog = new CatalogService(pool);
        InviteService invites = new InviteService(new InviteStore(pool), conversationStore, fanout,
                config.inviteTtlSeconds() * 1000L);
        AttachmentService attachments = new AttachmentService(vertx, pool, config.attachmentsDir(),
                config.maxUploadBytes());
        AuthService auth = new AuthService(agents, widgets, new VisitorStore(pool), passwords, tokens);
        AdminService admin = new AdminService(agents, teams, widgets, passwords, control, workspaces, routing);
        ConversationService conversations = new ConversationService(conversationStore, messages, new NoteStore(pool), fanout,
                lanes, routing, notices, presenceStore, agents, new ReadStore(pool), catalog, attachments, invites, metrics);
        PresenceService presence = new PresenceService(presenceStore, agents, routing, fanout, control,
                config.presenceHeartbeatSeconds() * 1000L, config.presenceGraceSeconds() * 1000L,
                config.requeueWhenAgentGone());
        return new Services(config, nodeId, pool, presenceStore, fanout, control, auth, admin, conversations, presence,
                routing, lanes, catalog, attachments, invites,
                new DirectoryService(agents, teams, conversationStore, presenceStore), metrics, new Gauges(pool, presence, metrics),
                new Readiness(config.warmupSeconds() > 0));
    }

    /**
     * The node's periodic work: the presence heartbeat (which also notices a Redis that lost its
     * state, or a Postgres that restarted, and has one node rebuild routing state), and every second
     * the sweeps for agents gone past their grace period, conversations due to ring again and invites
     * past their time.
     */
    private static List<Long> schedule(Vertx vertx, Services s) {
        long heartbeat = vertx.setPeriodic(s.config().presenceHeartbeatSeconds() * 1000L, id -> s.presence().heartbeat()
                .compose(v -> s.routing().rebuildIfLost())
                .onFailure(t -> LOG.warn("heartbeat: {}", t.toString())));
        long sweep = vertx.setPeriodic(1000, id -> s.presence().sweep()
                .compose(v -> s.routing().realertDue())
                .compose(v -> s.invites().expireDue())
                .onFailure(t -> LOG.warn("sweep: {}", t.toString())));
        long unsent = vertx.setPeriodic(UNSENT_SWEEP_MS, id -> s.attachments().sweepUnsent()
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("removed {} uploads never sent in a message", n);
                    }
                })
                .onFailure(t -> LOG.warn("sweeping unsent uploads: {}", t.toString())));
        return List.of(heartbeat, sweep, unsent);
    }

    /**
     * Warms the node up ({@link Warmup}: up to {@code warmup.seconds} of chat with itself), then
     * reports it ready. Blocks; never fails (a warm-up that fails is logged, and the node is ready
     * cold). Does nothing when no warm-up is configured or it has run.
     */
    public void warmUp() {
        Warmup w;
        synchronized (this) {
            if (stopped || warmup != null || !services.readiness().warming()) {
                return;
            }
            w = warmup = new Warmup(vertx, services, tokens, port());
        }
        try {
            await(w.run(), Warmup.limitMillis(config.warmupSeconds()));
        } catch (RuntimeException e) {
            LOG.warn("warm-up did not finish: {}", e.toString());
        } finally {
            services.readiness().warmedUp();
        }
    }

    public int port() {
        return config.httpPort();
    }

    public Config config() {
        return config;
    }

    /** The node's Vert.x, for whoever embeds it (tests watch or delay its event bus). */
    public Vertx vertx() {
        return vertx;
    }

    /** Whether this node started the embedded Postgres (and so its URL is worth printing). */
    boolean runsEmbeddedPostgres() {
        return embeddedPg != null;
    }

    boolean runsEmbeddedRedis() {
        return embeddedRedis != null;
    }

    /** The widget key seeded on first start (or the oldest one), for the banner and for tests. */
    public String widgetKey() {
        return seed.widgetKey();
    }

    Seeder.Seed seed() {
        return seed;
    }

    /**
     * Stops the node: no new frames are read, work in flight is finished (every stored message is
     * acked), sockets close with 1001, then the clients and the embedded servers stop.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("stopping node {}", services.nodeId());
        if (warmup != null && services.readiness().warming()) {
            try {
                await(warmup.cancel(), WARMUP_CANCEL_MS);
            } catch (RuntimeException e) {
                LOG.warn("the warm-up did not wind down: {}", e.toString());
            }
        }
        long deadline = System.currentTimeMillis() + config.shutdownGraceMillis();
        try {
            for (GatewayVerticle g : gateways) {
                await(g.quiesce());
            }
            try {
                await(services.lanes().idle().timeout(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS));
            } catch (RuntimeException e) {
                LOG.warn("work still in flight after {} ms; stopping anyway", config.shutdownGraceMillis());
            }
            timers.forEach(vertx::cancelTimer);
            for (String id : deployments) {
                await(vertx.undeploy(id));
            }
            // Its sockets closed: the other nodes forget them at once (before, they would still send there).
            await(services.fanout().stop());
            await(pool.close());
            redis.close();
            await(vertx.close());
        } catch (RuntimeException e) {
            LOG.warn("node did not stop cleanly: {}", e.toString());
        } finally {
            if (embeddedRedis != null) {
                embeddedRedis.close();
            }
            if (embeddedPg != null) {
                embeddedPg.close();
            }
        }
        LOG.info("node {} stopped", services.nodeId());
    }

    /** A server URL for the logs: never its password. */
    static String redacted(String url) {
        return url == null ? "embedded" : url.replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    /** Blocks a plain thread until a start-up or shutdown step is done. */
    static <T> T await(Future<T> f) {
        return await(f, 60_000);
    }

    private static <T> T await(Future<T> f, long timeoutMillis) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void createDatabase(String adminUrl, String name) {
        try (Connection c = Jdbc.connect(adminUrl);
             var st = c.createStatement()) {
            boolean exists;
            try (var rs = st.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                st.execute("create database " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }
}
