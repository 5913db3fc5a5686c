package io.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's metrics, exposed at {@code /metrics} in the Prometheus text format. Names follow
 * Prometheus conventions ({@code switchboard_} prefix, base units, {@code _total} for counters) and
 * labels take a small, fixed set of values: never an id. Vert.x' own meters (pools, HTTP, event
 * bus) and the JVM's are in the same registry. Thread-safe.
 */
public final class Metrics {
    /** Direction of a message: which side wrote it. */
    public static final String FROM_CUSTOMER = "customer_to_agent";
    public static final String FROM_AGENT = "agent_to_customer";

    private static final Duration[] LATENCY_SLOS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicInteger> sockets = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** The per-message counters, found without building a key string per message. */
    private record KindDirection(String kind, String direction) {
    }

    private final Map<KindDirection, Counter> received = new ConcurrentHashMap<>();
    private final Map<KindDirection, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Timer> deliveryLatency = new ConcurrentHashMap<>();
    private final MultiGauge conversations;
    private final MultiGauge queues;
    private final MultiGauge agents;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        for (String role : new String[]{"customer", "agent"}) {
            AtomicInteger n = new AtomicInteger();
            sockets.put(role, n);
            Gauge.builder("switchboard.sockets", n, AtomicInteger::get)
                    .description("Open WebSocket connections on this node").tag("role", role).register(registry);
        }
        conversations = MultiGauge.builder("switchboard.conversations")
                .description("Conversations by status (whole deployment, refreshed periodically)").register(registry);
        queues = MultiGauge.builder("switchboard.queue.length")
                .description("Conversations waiting for an agent, by team (whole deployment)").register(registry);
        agents = MultiGauge.builder("switchboard.agents")
                .description("Agents with a socket on this node, by presence status").register(registry);
        // Present from the start, so that dashboards and alerts see a zero count rather than nothing.
        eventLoopDelay();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void socketOpened(String role) {
        sockets.get(role).incrementAndGet();
    }

    public void socketClosed(String role) {
        sockets.get(role).decrementAndGet();
    }

    /** A message was stored (not a duplicate). */
    public void messageReceived(String kind, String direction) {
        received.computeIfAbsent(new KindDirection(kind, direction), k -> Counter.builder("switchboard.messages.received")
                .description("Messages stored, by kind and direction").tags("kind", kind, "direction", direction)
                .register(registry)).increment();
    }

    /** A message event was written to a recipient's socket (the meter says when it was stored). */
    public void messageDelivered(io.switchboard.bus.Delivery.Meter m) {
        delivered.computeIfAbsent(new KindDirection(m.kind(), m.direction()), k -> Counter.builder("switchboard.messages.delivered")
                .description("Message events written to recipients' sockets, by kind and direction")
                .tags("kind", m.kind(), "direction", m.direction()).register(registry)).increment();
        deliveryLatency.computeIfAbsent(m.direction(), d -> timer("switchboard.delivery.latency",
                        "From storing a message to writing it to a recipient's socket", "direction", d))
                .record(Math.max(0, System.currentTimeMillis() - m.storedAt()), TimeUnit.MILLISECONDS);
    }

    /** From a message frame's arrival to its ack. */
    public void ackLatency(long nanos) {
        timer("switchboard.ack.latency", "From a message frame's arrival to its ack (stored)").record(nanos, TimeUnit.NANOSECONDS);
    }

    /** From a conversation's first message to its assignment. */
    public void routingLatency(long millis) {
        timer("switchboard.routing.latency", "From a conversation's first message to its assignment")
                .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void error(String code) {
        counter("switchboard.errors", "Errors answered to clients, by code", "code", code).increment();
    }

    /** A frame refused before any command ran: malformed, binary, too_large, rate_limited. */
    public void rejectedFrame(String reason) {
        counter("switchboard.frames.rejected", "Frames refused, by reason", "reason", reason).increment();
    }

    /** How late an event loop ran a timer: a blocked or saturated loop shows here first. */
    public void eventLoopDelay(long nanos) {
        eventLoopDelay().record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }


    private Timer eventLoopDelay() {
        return timer("switchboard.event.loop.delay", "How late an event loop runs a periodic timer");
    }

    public void conversations(Map<String, Long> byStatus) {
        conversations.register(byStatus.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("status", e.getKey()), e.getValue())).toList(), true);
    }

    public void queues(Map<String, Long> byTeam) {
        queues.register(byTeam.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("team", e.getKey()), e.getValue())).toList(), true);
    }

    public void agents(Map<String, Long> byStatus) {
        agents.register(byStatus.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("status", e.getKey()), e.getValue())).toList(), true);
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + String.join(",", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private Timer timer(String name, String description, String... tags) {
        return timers.computeIfAbsent(name + String.join(",", tags), k -> Timer.builder(name).description(description)
                .tags(tags).serviceLevelObjectives(LATENCY_SLOS).register(registry));
    }
}
