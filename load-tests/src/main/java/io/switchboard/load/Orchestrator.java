package io.switchboard.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario (or {@code quick}, or {@code compare}) against servers that are already up:
 * sets Switchboard up over its HTTP API (agents, auto-routed teams, widgets), splits the load over
 * generator processes (each its own source address and its own teams, so every conversation's two
 * sides live in one process), releases them phase by phase, reads the server's CPU and memory at the
 * phase boundaries, prints one progress line a second, merges the histograms and writes the summary
 * JSON and the HTML report.
 */
final class Orchestrator {
    private final Args a;
    private final Path resultsDir;
    private final String jar;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, JsonObject> setupCache = new HashMap<>();

    /** A server to drive: where it listens, how it speaks, which processes are its cost. */
    record Target(String name, List<Integer> ports, List<Integer> pids, List<Integer> extraPids, boolean java, String protocol) {
        boolean switchboard() {
            return name.equals("switchboard");
        }

        /** The first node: set-up goes there. */
        int port() {
            return ports.get(0);
        }

        int pid() {
            return pids.isEmpty() ? 0 : pids.get(0);
        }

        int nodes() {
            return ports.size();
        }
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String p : csv.split(",")) {
            if (!p.isBlank()) {
                out.add(Integer.parseInt(p.trim()));
            }
        }
        return out;
    }

    private Orchestrator(Args a) {
        this.a = a;
        this.resultsDir = Path.of(a.str("results", "results"));
        this.jar = a.str("jar", "target/switchboard-load.jar");
    }

    static int main(String[] argv) throws Exception {
        Args a = new Args(argv);
        String scenario = a.positional.isEmpty() ? "chat" : a.positional.get(0);
        Orchestrator o = new Orchestrator(a);
        Files.createDirectories(o.resultsDir);
        return switch (scenario) {
            case "quick" -> o.quick();
            case "compare" -> o.compare(a.positional.size() > 1 ? a.positional.get(1) : "chat");
            case "chat", "idle", "storm" -> {
                JsonObject s = o.runScenario(scenario, o.target(a.str("target", "switchboard")), o.params(scenario, false));
                o.write(s);
                yield o.verdict(s) ? 0 : 1;
            }
            default -> {
                System.err.println("unknown scenario " + scenario);
                yield 2;
            }
        };
    }

    // ------------------------------------------------------------------ targets and parameters

    private Target target(String name) {
        List<Integer> extra = new ArrayList<>();
        for (String p : a.str("pg-pid", "").split(",")) {
            if (!p.isBlank() && !name.equals("relay")) {
                extra.add(Integer.parseInt(p.trim()));
            }
        }
        return switch (name) {
            case "switchboard" -> new Target(name, ints(a.str("sb-ports", a.str("sb-port", "8080"))),
                    ints(a.str("sb-pids", a.str("sb-pid", ""))), extra, true, "native");
            case "relay" -> new Target(name, ints(a.str("relay-port", "0")), ints(a.str("relay-pid", "")), List.of(), true, "native");
            case "socketio" -> new Target(name, ints(a.str("sio-port", "0")), ints(a.str("sio-pid", "")), extra, false, "sio");
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
    }

    /** The scenario's parameters: command-line options over the scenario's defaults (small in quick). */
    private JsonObject params(String scenario, boolean quick) {
        JsonObject p = new JsonObject();
        switch (scenario) {
            case "chat" -> p.put("customers", quick ? 200 : 1000).put("agents", quick ? 10 : 50).put("rate", quick ? 200.0 : 1000.0)
                    .put("durationS", quick ? 20.0 : 30.0).put("openRate", 100.0).put("warmupS", quick ? 3.0 : 20.0)
                    .put("warmChurn", quick ? 300 : 3000);
            case "storm" -> p.put("customers", quick ? 500 : 2000).put("agents", quick ? 10 : 50).put("rate", quick ? 100.0 : 500.0)
                    .put("durationS", quick ? 10.0 : 20.0).put("openRate", quick ? 250.0 : 500.0).put("stormAfterS", quick ? 2.0 : 3.0)
                    .put("warmupS", quick ? 2.0 : 5.0).put("afterS", 5.0);
            case "idle" -> p.put("customers", quick ? 500 : 2000).put("agents", 0).put("durationS", quick ? 10.0 : 30.0)
                    .put("rampRate", quick ? 250.0 : 1000.0).put("pingIntervalS", quick ? 5.0 : 10.0).put("warmupS", quick ? 2.0 : 5.0);
            default -> throw new IllegalArgumentException(scenario);
        }
        p.put("teamSize", 1).put("messageBytes", 120).put("drainS", 10).put("warmDrainS", 120).put("threads", 2);
        if (!quick) {
            if (a.has("customers")) {
                p.put("customers", a.integer("customers", 0));
            }
            if (a.has("connections")) {
                p.put("customers", a.integer("connections", 0));
            }
            for (String k : List.of("agents", "teamSize", "messageBytes", "threads", "stormGapMs", "warmStorms", "warmChurn", "openTimeoutS", "openMaxS", "resumeTimeoutS", "gapGraceMs")) {
                String opt = option(k);
                if (a.has(opt)) {
                    p.put(k, a.integer(opt, 0));
                }
            }
            for (String k : List.of("drainS", "warmDrainS")) { // --drain S, --warm-drain S
                String opt = option(k.replaceAll("S$", ""));
                if (a.has(opt)) {
                    p.put(k, a.integer(opt, 0));
                }
            }
            for (String k : List.of("rate", "openRate", "rampRate", "pingIntervalS", "stormAfterS", "warmupS", "afterS")) {
                String opt = option(k.replaceAll("S$", ""));
                if (a.has(opt)) {
                    p.put(k, a.dbl(opt, 0));
                }
            }
            if (a.has("duration")) {
                p.put("durationS", a.dbl("duration", 30));
            }
            if (scenario.equals("storm") && a.flag("crash")) {
                p.put("crash", true);
                p.put("crashAgents", a.flag("crash-agents"));
                if (!a.has("gap-grace-ms")) {
                    p.put("gapGraceMs", 2000); // a killed node's unpassed messages come by the gap reads
                }
            }
        }
        return p;
    }

    // ------------------------------------------------------------------ quick and compare

    private int quick() throws Exception {
        Target sb = target("switchboard");
        List<JsonObject> all = new ArrayList<>();
        boolean ok = true;
        for (String sc : List.of("idle", "chat", "storm")) {
            JsonObject s = runScenario(sc, sb, params(sc, true));
            s.put("suite", "quick");
            write(s);
            all.add(s);
            ok &= verdict(s);
        }
        System.out.println();
        System.out.println("quick: " + (ok ? "PASS" : "FAIL"));
        for (JsonObject s : all) {
            System.out.printf(Locale.ROOT, "  %-6s lost=%d duplicated=%d errors=%d p99=%s ms  %s%n", s.getString("scenario"),
                    s.getLong("lost"), s.getLong("duplicated"), s.getLong("errors"), s.getValue("p99Ms"), s.getString("verdict"));
        }
        return ok ? 0 : 1;
    }

    private int compare(String scenario) throws Exception {
        List<String> names = new ArrayList<>();
        for (String t : a.str("targets", "switchboard,relay,socketio").split(",")) {
            names.add(t.trim());
        }
        int rounds = a.integer("rounds", 3);
        double settleBusy = a.dbl("settle-busy", 0.3);
        if (settleBusy < 0 || settleBusy > 1) {
            throw new IllegalArgumentException("--settle-busy is a fraction of the machine, 0..1: " + settleBusy);
        }
        JsonObject p = params(scenario, false);
        Map<String, List<JsonObject>> byTarget = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String t : names) {
                System.out.println();
                System.out.println("=== round " + r + "/" + rounds + ": " + t + " ===");
                JsonObject settle = Probe.waitMachineQuiet(TimeUnit.SECONDS.toMillis(a.integer("settle-max-s", 180)), settleBusy);
                if (!settle.getBoolean("quiet")) {
                    System.out.printf(Locale.ROOT, "  machine still %.0f %% busy after %d s: the round starts anyway%n",
                            settle.getDouble("busy") * 100, settle.getLong("waitedMs") / 1000);
                }
                JsonObject s = runScenario(scenario, target(t), p.copy());
                s.put("round", r).put("settle", settle);
                write(s);
                byTarget.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
            }
        }
        JsonObject cmp = new JsonObject().put("scenario", scenario).put("suite", "compare").put("rounds", rounds).put("params", p);
        JsonObject targets = new JsonObject();
        Map<String, JsonObject> merged = new LinkedHashMap<>();
        for (var e : byTarget.entrySet()) {
            JsonObject m = mergeRounds(e.getValue());
            merged.put(e.getKey(), m);
            targets.put(e.getKey(), m);
        }
        cmp.put("targets", targets);
        JsonObject sb = merged.get("switchboard");
        if (sb != null) {
            JsonObject ratios = new JsonObject();
            for (var e : merged.entrySet()) {
                if (e.getKey().equals("switchboard")) {
                    continue;
                }
                JsonObject o = e.getValue();
                ratios.put("vs_" + e.getKey(), new JsonObject()
                        .put("achievedRate", ratio(sb.getDouble("achievedRate"), o.getDouble("achievedRate")))
                        .put("p50Ms", ratio(sb.getDouble("p50Ms"), o.getDouble("p50Ms")))
                        .put("p99Ms", ratio(sb.getDouble("p99Ms"), o.getDouble("p99Ms")))
                        .put("p999Ms", ratio(sb.getDouble("p999Ms"), o.getDouble("p999Ms")))
                        .put("serverCpuSecPerMsg", ratio(sb.getDouble("serverCpuSecPerMsg"), o.getDouble("serverCpuSecPerMsg")))
                        .put("serverBytesPerConnection", ratio(sb.getDouble("serverBytesPerConnection"), o.getDouble("serverBytesPerConnection"))));
            }
            cmp.put("ratios", ratios);
            cmp.put("ratioNote", "switchboard / baseline: above 1 means Switchboard's figure is larger (better for rates, worse for latency, CPU and bytes)");
        }
        String name = stamp() + "-compare-" + scenario;
        Files.writeString(resultsDir.resolve(name + ".json"), cmp.encodePrettily());
        Files.writeString(resultsDir.resolve(name + ".html"), Report.compareHtml(cmp, byTarget));
        System.out.println();
        System.out.printf(Locale.ROOT, "%-12s %12s %12s %9s %9s %9s %7s %5s %14s %12s%n", "target", "intended/s", "achieved/s",
                "p50 ms", "p99 ms", "p99.9 ms", "lost", "dup", "cpu µs/msg", "B/conn");
        for (var e : merged.entrySet()) {
            JsonObject m = e.getValue();
            System.out.printf(Locale.ROOT, "%-12s %12.0f %12.0f %9s %9s %9s %7d %5d %14s %12s%n", e.getKey(), m.getDouble("intendedRate"),
                    m.getDouble("achievedRate"), m.getValue("p50Ms"), m.getValue("p99Ms"), m.getValue("p999Ms"), m.getLong("lost"),
                    m.getLong("duplicated"), m.getDouble("serverCpuSecPerMsg") == null ? "-" : String.format(Locale.ROOT, "%.1f", m.getDouble("serverCpuSecPerMsg") * 1e6),
                    m.getValue("serverBytesPerConnection"));
        }
        if (cmp.containsKey("ratios")) {
            System.out.println("ratios (switchboard / baseline): " + cmp.getJsonObject("ratios").encode());
        }
        System.out.println("compare summary: " + resultsDir.resolve(name + ".json").toAbsolutePath());
        System.out.println("compare report:  " + resultsDir.resolve(name + ".html").toAbsolutePath());
        boolean ok = true;
        for (List<JsonObject> l : byTarget.values()) {
            for (JsonObject s : l) {
                ok &= s.getLong("lost") == 0 && s.getLong("duplicated") == 0;
            }
        }
        return ok ? 0 : 1;
    }

    private static Double ratio(Double x, Double y) {
        if (x == null || y == null || y == 0) {
            return null;
        }
        return Math.round(x / y * 1000) / 1000.0;
    }

    /** One figure per target over its rounds: counts summed, histograms merged, rates and costs averaged. */
    private static JsonObject mergeRounds(List<JsonObject> rounds) {
        JsonObject m = new JsonObject();
        Histogram main = Hist.empty();
        long sent = 0, delivered = 0, lost = 0, dup = 0, errors = 0;
        double achieved = 0, intended = 0, cpu = 0, bytes = 0;
        int cpuN = 0, bytesN = 0;
        for (JsonObject s : rounds) {
            if (s.getString("mainHist") != null) {
                main.add(Hist.decode(s.getString("mainHist")));
            }
            sent += s.getLong("sent", 0L);
            delivered += s.getLong("delivered", 0L);
            lost += s.getLong("lost", 0L);
            dup += s.getLong("duplicated", 0L);
            errors += s.getLong("errors", 0L);
            achieved += s.getDouble("achievedRate", 0.0);
            intended += s.getDouble("intendedRate", 0.0);
            if (s.getDouble("serverCpuSecPerMsg") != null) {
                cpu += s.getDouble("serverCpuSecPerMsg");
                cpuN++;
            }
            if (s.getValue("serverBytesPerConnection") != null) {
                bytes += s.getDouble("serverBytesPerConnection");
                bytesN++;
            }
        }
        JsonObject pc = Hist.percentiles(main);
        return m.put("rounds", rounds.size()).put("intendedRate", intended / rounds.size()).put("achievedRate", achieved / rounds.size())
                .put("sent", sent).put("delivered", delivered).put("lost", lost).put("duplicated", dup).put("errors", errors)
                .put("p50Ms", pc.getValue("p50Ms")).put("p99Ms", pc.getValue("p99Ms")).put("p999Ms", pc.getValue("p999Ms"))
                .put("maxMs", pc.getValue("maxMs"))
                .put("serverCpuSecPerMsg", cpuN == 0 ? null : cpu / cpuN)
                .put("serverBytesPerConnection", bytesN == 0 ? null : (double) Math.round(bytes / bytesN))
                .put("distribution", Hist.distribution(main));
    }

    // ------------------------------------------------------------------ Switchboard set-up

    private JsonObject httpJson(String method, int port, String path, String token, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
    }

    /**
     * Per worker: its agents (logged in), grouped into auto-routed teams of teamSize, each team with a
     * widget; the worker's customers come through its widgets. Cached per shape for compare rounds.
     */
    private JsonObject setupSwitchboard(Target t, int workers, int agents, int teamSize, int customers) throws Exception {
        // the agents' maxChats follows the customer count: a set-up serves only runs of its own size
        String key = t.port() + "/" + workers + "/" + agents + "/" + teamSize + "/" + customers;
        JsonObject cached = setupCache.get(key);
        if (cached != null) {
            return cached;
        }
        String admin = httpJson("POST", t.port(), "/api/login", null, new JsonObject()
                .put("email", a.str("admin-email", "admin@switchboard.local")).put("password", a.str("admin-password", "loadtest-admin"))).getString("token");
        String run = Long.toString(System.currentTimeMillis(), 36);
        int maxChats = (int) Math.min(1000, Math.max(5, 2L * ((customers + agents - 1) / Math.max(1, agents)) + 10));
        JsonArray perWorker = new JsonArray();
        int agentNo = 0;
        for (int w = 0; w < workers; w++) {
            int from = agents * w / workers, to = agents * (w + 1) / workers;
            JsonArray tokens = new JsonArray();
            JsonArray widgets = new JsonArray();
            List<String> teamMembers = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String email = "lt-" + run + "-" + (agentNo++) + "@load.test";
                JsonObject ag = httpJson("POST", t.port(), "/api/agents", admin, new JsonObject().put("email", email)
                        .put("name", "Agent " + i).put("password", "loadtest-pass").put("role", "agent").put("maxChats", maxChats));
                teamMembers.add(ag.getString("id"));
                tokens.add(httpJson("POST", t.port(), "/api/login", null, new JsonObject().put("email", email).put("password", "loadtest-pass"))
                        .getString("token"));
                if (teamMembers.size() == teamSize || i == to - 1) {
                    JsonObject team = httpJson("POST", t.port(), "/api/teams", admin, new JsonObject()
                            .put("name", "lt-" + run + "-w" + w + "-t" + widgets.size()).put("routing", "auto"));
                    httpJson("PUT", t.port(), "/api/teams/" + team.getString("id") + "/members", admin,
                            new JsonObject().put("agentIds", new JsonArray(teamMembers)));
                    JsonObject widget = httpJson("POST", t.port(), "/api/widgets", admin, new JsonObject()
                            .put("name", team.getString("name")).put("teamId", team.getString("id")));
                    widgets.add(widget.getString("key"));
                    teamMembers.clear();
                }
            }
            if (widgets.isEmpty()) { // idle: customers need a widget only
                JsonObject team = httpJson("POST", t.port(), "/api/teams", admin, new JsonObject()
                        .put("name", "lt-" + run + "-w" + w + "-idle").put("routing", "auto"));
                widgets.add(httpJson("POST", t.port(), "/api/widgets", admin, new JsonObject()
                        .put("name", team.getString("name")).put("teamId", team.getString("id"))).getString("key"));
            }
            perWorker.add(new JsonObject().put("agentTokens", tokens).put("widgetKeys", widgets).put("maxChats", maxChats));
        }
        JsonObject out = new JsonObject().put("workers", perWorker).put("maxChats", maxChats);
        setupCache.put(key, out);
        return out;
    }

    // ------------------------------------------------------------------ one run

    /** A generator process and its lines. */
    private static final class WorkerProc {
        Process proc;
        Writer stdin;
        final BlockingQueue<JsonObject> barriers = new LinkedBlockingQueue<>();
        volatile JsonObject result;
        final BlockingQueue<JsonObject> progress = new LinkedBlockingQueue<>();
        volatile JsonObject lastProgress = new JsonObject();
        Thread reader;
    }

    JsonObject runScenario(String scenario, Target t, JsonObject p) throws Exception {
        int customers = p.getInteger("customers");
        int agents = scenario.equals("idle") ? 0 : p.getInteger("agents");
        int perProcess = a.integer("per-process", 15000);
        int nodes = t.nodes();
        // every node gets the same number of generator processes (each targets one node, round-robin),
        // and no process more than perProcess sockets
        int perNode = (customers + agents + nodes - 1) / nodes;
        int workers = a.has("workers") ? a.integer("workers", 1) : nodes * Math.max(1, (perNode + perProcess - 1) / perProcess);
        if (workers % nodes != 0) {
            workers += nodes - workers % nodes;
        }
        int sourcesPerWorker = a.integer("sources-per-worker", 1);
        boolean crash = p.getBoolean("crash", false);
        if (crash && (!t.switchboard() || nodes < 2 || t.pids().size() != nodes)) {
            throw new IllegalArgumentException("--crash kills one node of a cluster: it needs Switchboard with --nodes 2 or more");
        }
        // storm --crash: the last node is killed (node 1 runs the embedded Postgres and Redis)
        int victim = nodes - 1;
        JsonObject setup;
        if (t.switchboard()) {
            setup = setupSwitchboard(t, workers, agents, p.getInteger("teamSize"), customers);
        } else {
            JsonArray perWorker = new JsonArray();
            for (int w = 0; w < workers; w++) {
                JsonArray tokens = new JsonArray();
                for (int i = agents * w / workers; i < agents * (w + 1) / workers; i++) {
                    tokens.add("agent-" + i);
                }
                perWorker.add(new JsonObject().put("agentTokens", tokens).put("widgetKeys", new JsonArray().add("baseline")));
            }
            setup = new JsonObject().put("workers", perWorker);
        }
        String runName = stamp() + "-" + scenario + "-" + t.name();
        Path runDir = Files.createDirectories(Path.of(a.str("work-dir", "target/runs")).resolve(runName));
        List<String> metricsUrls = new ArrayList<>();
        List<Integer> probed = new ArrayList<>(t.pids());
        if (t.switchboard()) {
            for (int port : t.ports()) {
                metricsUrls.add("http://127.0.0.1:" + port + "/metrics");
            }
        }
        if (crash) { // the server's cost and memory are the surviving nodes' (with Postgres and Redis)
            probed.remove(victim);
            metricsUrls.remove(victim);
        }
        Probe probe = t.pid() > 0 ? new Probe(probed, t.extraPids(), t.java(), metricsUrls) : null;

        System.out.printf(Locale.ROOT, "%n%s against %s on port(s) %s: %s, %d generator process(es)%n", scenario, t.name(),
                t.ports(), p.encode(), workers);
        List<WorkerProc> procs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            JsonObject wc = p.copy().put("scenario", scenario).put("target", t.name()).put("host", "127.0.0.1").put("port", t.ports().get(w % nodes)).put("node", w % nodes + 1)
                    .put("workerId", w).put("customers", share(customers, w, workers))
                    .mergeIn(setup.getJsonArray("workers").getJsonObject(w));
            JsonArray src = new JsonArray();
            for (int s = 0; s < sourcesPerWorker; s++) {
                src.add("127.0.0." + (2 + w * sourcesPerWorker + s));
            }
            wc.put("sourceAddresses", src);
            if (crash) {
                boolean onVictim = w % nodes == victim;
                wc.put("crash", onVictim ? "victim" : "survivor");
                if (onVictim) { // its customers go to a surviving node; so do its agents with --crash-agents, else they are there from the start
                    wc.put("failoverPort", t.ports().get(0));
                    if (!p.getBoolean("crashAgents", false)) {
                        wc.put("agentPort", t.ports().get(0));
                    }
                }
            }
            // the rates are the run's totals: each process plays its share
            for (String k : List.of("rate", "openRate", "rampRate")) {
                if (wc.getValue(k) != null) {
                    wc.put(k, wc.getDouble(k) / workers);
                }
            }
            if (wc.getValue("warmChurn") != null) { // a total too: each process churns its share
                wc.put("warmChurn", share(wc.getInteger("warmChurn"), w, workers));
            }
            // warm-up connects: about 250 a second per server node in all, whatever the number of processes
            wc.put("warmupRate", a.dbl("warmup-rate", 250.0) * nodes / workers);
            Path cf = runDir.resolve("worker-" + w + ".json");
            Files.writeString(cf, wc.encodePrettily());
            procs.add(spawn(w, cf, runDir));
        }

        JsonObject server = new JsonObject();
        List<JsonObject> timeline = new ArrayList<>();
        String mainMeasure = switch (scenario) {
            case "chat" -> "e2e";
            case "idle" -> "connect";
            default -> "resume";
        };
        Histogram soFar = Hist.empty();
        long runStart = System.currentTimeMillis();
        Thread progressThread = new Thread(() -> progressLoop(procs, scenario, mainMeasure, soFar, timeline, runStart), "progress");
        progressThread.setDaemon(true);
        progressThread.start();

        try {
            List<String> names = scenario.equals("idle") ? List.of("ready", "connected", "measured")
                    : crash ? List.of("ready", "opened", "crash", "measured") : List.of("ready", "opened", "measured");
            for (String name : names) {
                List<JsonObject> infos = awaitBarrier(procs, name, timeoutFor(name, p, customers));
                if (name.equals("crash")) {
                    ProcessHandle node = ProcessHandle.of(t.pids().get(victim))
                            .orElseThrow(() -> new IllegalStateException("node " + (victim + 1) + " is not running"));
                    long killNs = System.nanoTime();
                    node.destroyForcibly(); // SIGKILL: no shutdown, no close frames
                    release(procs, " " + killNs);
                    node.onExit().get(30, TimeUnit.SECONDS);
                    System.out.printf(Locale.ROOT, "  killed node %d (pid %d) with SIGKILL%n", victim + 1, node.pid());
                    continue;
                }
                boolean opened = name.equals("opened") || name.equals("connected");
                if (probe != null) {
                    switch (name) {
                        case "ready" -> server.put("memBefore", probe.memory(true));
                        case "opened", "connected" -> server.put("memAfterConnect", probe.memory(true));
                        case "measured" -> server.put("cpuEnd", probe.cpu()).put("memEnd", probe.memory(false));
                        default -> {
                        }
                    }
                }
                if (!name.equals("measured")) {
                    // Before each measured part (the new conversations, then the traffic), after the
                    // forced GC of the memory probe and the generators' own: let the JIT of server(s)
                    // and generators settle.
                    for (WorkerProc wp : procs) {
                        Probe.collectGenerator(wp.proc.pid());
                    }
                    JsonObject jit = awaitJitQuiet(t, procs, a);
                    if (jit != null) {
                        server.put(name.equals("ready") ? "jitWait" : "jitWaitAfterOpen", jit);
                    }
                }
                if (probe != null && opened) {
                    server.put("cpuStart", probe.cpu()); // the measured part starts at the release below
                }
                if (opened) {
                    long n = 0;
                    for (JsonObject i : infos) {
                        n += i.getLong(name.equals("opened") ? "conversations" : "connected", 0L);
                    }
                    System.out.printf(Locale.ROOT, "  %s: %d of %d%n", name.equals("opened") ? "conversations routed" : "connected", n, customers);
                }
                release(procs);
            }
            for (WorkerProc wp : procs) {
                if (!wp.proc.waitFor(600, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a generator process did not finish");
                }
                wp.reader.join(10_000);
            }
        } finally {
            for (WorkerProc wp : procs) {
                if (wp.proc.isAlive()) {
                    wp.proc.destroy();
                }
            }
            progressThread.interrupt();
            progressThread.join(2000);
        }
        return summarize(scenario, t, p, procs, server, timeline, mainMeasure, runName, workers, setup);
    }

    /** Waits for a quiet JIT of the target's JVMs and every generator (--jit-wait, --jit-quiet-ms); null when off. */
    private static JsonObject awaitJitQuiet(Target t, List<WorkerProc> procs, Args a) {
        List<Integer> jvms = new ArrayList<>();
        if (t.java()) {
            jvms.addAll(t.pids());
        }
        for (WorkerProc wp : procs) {
            jvms.add((int) wp.proc.pid());
        }
        long maxMs = (long) (a.dbl("jit-wait", 20) * 1000);
        if (maxMs <= 0 || jvms.isEmpty()) {
            return null;
        }
        JsonObject jit = Probe.waitJitQuiet(jvms, maxMs, a.dbl("jit-quiet-ms", 20));
        System.out.printf(Locale.ROOT, "  JIT %s after %.1f s (compile ms per second per JVM: %s)%n",
                jit.getBoolean("quiet") ? "quiet" : "still busy", jit.getLong("waitedMs") / 1000.0,
                jit.getJsonArray("compileMsPerS").encode());
        return jit;
    }

    /** A parameter's command-line option: {@code openRate} is {@code open-rate}. */
    private static String option(String param) {
        return param.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private long timeoutFor(String barrier, JsonObject p, int customers) {
        double open = customers / Math.max(1.0, p.getDouble("openRate", p.getDouble("rampRate", 100.0)));
        return (long) (switch (barrier) {
            case "ready" -> p.getDouble("warmupS", 0.0) + p.getInteger("warmDrainS") + 120;
            case "opened" -> open + p.getInteger("openMaxS", 300) + 60;
            case "connected" -> open + p.getInteger("openTimeoutS", 30) + 60;
            default -> p.getDouble("durationS") + p.getInteger("drainS") + p.getInteger("resumeTimeoutS", 60) + 120;
        });
    }

    private WorkerProc spawn(int w, Path cfg, Path runDir) throws IOException {
        List<String> cmd = new ArrayList<>();
        String cpus = a.str("generator-cpus", "");
        if (!cpus.isBlank()) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of("java", "-Xms256m", "-Xmx" + a.str("worker-heap", "2g"), "-Dvertx.disableDnsResolver=true"));
        String opts = System.getenv("WORKER_JAVA_OPTS"); // later flags win, e.g. another collector for an experiment
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", jar, "io.switchboard.load.Main", "worker", cfg.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(runDir.resolve("worker-" + w + ".log").toFile());
        WorkerProc wp = new WorkerProc();
        wp.proc = pb.start();
        wp.stdin = new OutputStreamWriter(wp.proc.getOutputStream(), StandardCharsets.UTF_8);
        wp.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(wp.proc.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int sp = line.indexOf(' ');
                    String kind = sp < 0 ? line : line.substring(0, sp);
                    switch (kind) {
                        case "PROG" -> {
                            JsonObject o = new JsonObject(line.substring(sp + 1));
                            wp.lastProgress = o;
                            wp.progress.add(o);
                        }
                        case "BARRIER" -> wp.barriers.add(new JsonObject(line.substring(sp + 1)));
                        case "RESULT" -> wp.result = new JsonObject(line.substring(sp + 1));
                        default -> System.err.println("[worker " + w + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "worker-" + w);
        wp.reader.setDaemon(true);
        wp.reader.start();
        return wp;
    }

    private List<JsonObject> awaitBarrier(List<WorkerProc> procs, String name, long timeoutS) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        for (WorkerProc wp : procs) {
            JsonObject b = null;
            while (b == null) {
                b = wp.barriers.poll(200, TimeUnit.MILLISECONDS);
                if (b == null && (!wp.proc.isAlive() || System.nanoTime() > deadline)) {
                    throw new IllegalStateException("generator did not reach '" + name + "' (" + (wp.proc.isAlive() ? "timeout" : "exited " + wp.proc.exitValue())
                            + "); see its log under " + a.str("work-dir", "target/runs"));
                }
            }
            if (!name.equals(b.getString("name"))) {
                throw new IllegalStateException("expected barrier " + name + ", got " + b.getString("name"));
            }
            out.add(b);
        }
        return out;
    }

    private static void release(List<WorkerProc> procs) throws IOException {
        release(procs, "");
    }

    /** Releases every process from its barrier; {@code news} goes with the GO line. */
    private static void release(List<WorkerProc> procs, String news) throws IOException {
        for (WorkerProc wp : procs) {
            wp.stdin.write("GO" + news + "\n");
            wp.stdin.flush();
        }
    }

    /** Once a second: merges what every generator reported, prints the line, records the timeline. */
    private void progressLoop(List<WorkerProc> procs, String scenario, String main, Histogram soFar, List<JsonObject> timeline, long runStart) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                long sent = 0, delivered = 0, errors = 0, open = 0, totalErrors = 0, joined = 0, resumed = 0;
                Histogram interval = Hist.empty();
                // every measure's histogram of this second, for the timeline (where a tail happened)
                Map<String, Histogram> each = new LinkedHashMap<>();
                String phase = "";
                for (WorkerProc wp : procs) {
                    List<JsonObject> got = new ArrayList<>();
                    wp.progress.drainTo(got);
                    for (JsonObject o : got) {
                        sent += o.getLong("sent");
                        delivered += o.getLong("delivered");
                        errors += o.getLong("errors");
                        JsonObject hs = o.getJsonObject("hist");
                        for (String m : hs.fieldNames()) {
                            Histogram h = Hist.decode(hs.getString(m));
                            each.computeIfAbsent(m, k -> Hist.empty()).add(h);
                            if (m.equals(main)) {
                                interval.add(h);
                            }
                        }
                    }
                    JsonObject last = wp.lastProgress;
                    open += last.getLong("open", 0L);
                    totalErrors += last.getLong("totalErrors", 0L);
                    joined += last.getLong("joined", 0L);
                    resumed += last.getLong("resumed", 0L);
                    phase = last.getString("phase", phase);
                }
                soFar.add(interval);
                long t = (System.currentTimeMillis() - runStart) / 1000;
                JsonObject pi = Hist.percentiles(interval);
                timeline.add(new JsonObject().put("t", t).put("phase", phase).put("sent", sent).put("delivered", delivered)
                        .put("errors", errors).put("open", open).put("count", interval.getTotalCount())
                        .put("p50Ms", pi.getValue("p50Ms")).put("p99Ms", pi.getValue("p99Ms")).put("maxMs", pi.getValue("maxMs"))
                        .put("measures", secondOfEach(each)));
                String extra = switch (scenario) {
                    case "chat" -> "routed " + joined + (each.containsKey("routing")
                            ? " (routing p99 this s " + Hist.ms(each.get("routing").getValueAtPercentile(99)) + " ms)" : "");
                    case "storm" -> "routed " + joined + " resumed " + resumed;
                    default -> "";
                };
                System.out.printf(Locale.ROOT, "[%s %3ds %-9s] sent %6d/s delivered %6d/s  %s p99 so far %7s ms (this s %7s)  errors %d  open %d  %s%n",
                        scenario, t, phase, sent, delivered, main, soFar.getTotalCount() == 0 ? "-" : Hist.ms(soFar.getValueAtPercentile(99)),
                        pi.getValue("p99Ms") == null ? "-" : pi.getValue("p99Ms"), totalErrors, open, extra);
            }
        } catch (InterruptedException ignored) {
            // run over
        }
    }

    /** Count, p50, p99 and max of each measure recorded in one second. */
    private static JsonObject secondOfEach(Map<String, Histogram> each) {
        JsonObject o = new JsonObject();
        each.forEach((m, h) -> {
            JsonObject pi = Hist.percentiles(h);
            o.put(m, new JsonObject().put("count", h.getTotalCount()).put("p50Ms", pi.getValue("p50Ms"))
                    .put("p99Ms", pi.getValue("p99Ms")).put("maxMs", pi.getValue("maxMs")));
        });
        return o;
    }

    // ------------------------------------------------------------------ summary

    private JsonObject summarize(String scenario, Target t, JsonObject p, List<WorkerProc> procs, JsonObject server,
                                 List<JsonObject> timeline, String main, String runName, int workers, JsonObject setup) {
        Map<String, Histogram> hists = new LinkedHashMap<>();
        JsonObject counts = new JsonObject();
        JsonObject errors = new JsonObject();
        JsonObject samples = new JsonObject();
        double window = 0;
        JsonArray lostSamples = new JsonArray();
        int missing = 0;
        for (WorkerProc wp : procs) {
            JsonObject r = wp.result;
            if (r == null) {
                missing++;
                continue;
            }
            r.getJsonObject("hist").forEach(e -> hists.computeIfAbsent(e.getKey(), k -> Hist.empty()).add(Hist.decode((String) e.getValue())));
            r.getJsonObject("errors").forEach(e -> errors.put(e.getKey(), errors.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
            r.getJsonObject("errorSamples").forEach(e -> samples.put(e.getKey(), e.getValue()));
            for (var e : r) {
                if (e.getValue() instanceof Number n && !e.getKey().equals("worker")) {
                    if (e.getKey().equals("phaseWindowS") || e.getKey().endsWith("Ms")) {
                        if (e.getKey().equals("phaseWindowS")) {
                            window = Math.max(window, n.doubleValue());
                        }
                        counts.put(e.getKey(), Math.max(counts.getDouble(e.getKey(), 0.0), n.doubleValue()));
                    } else {
                        counts.put(e.getKey(), counts.getLong(e.getKey(), 0L) + n.longValue());
                    }
                }
            }
            if (r.getJsonArray("lostSamples") != null) {
                lostSamples.addAll(r.getJsonArray("lostSamples"));
            }
        }
        if (missing > 0) {
            errors.put("generator_failed", (long) missing);
        }
        // all resumed only if all resumed in every process
        for (WorkerProc wp : procs) {
            JsonObject r = wp.result;
            if (r != null && r.containsKey("allResumedMs") && r.getValue("allResumedMs") == null) {
                counts.putNull("allResumedMs");
                counts.putNull("allResumedFromDisconnectMs");
            }
        }
        long errorTotal = 0;
        for (var e : errors) {
            errorTotal += ((Number) e.getValue()).longValue();
        }
        Histogram mainH = hists.getOrDefault(main, Hist.empty());
        JsonObject mp = Hist.percentiles(mainH);
        JsonObject measures = new JsonObject();
        JsonObject dists = new JsonObject();
        hists.forEach((k, h) -> {
            measures.put(k, Hist.percentiles(h));
            dists.put(k, Hist.distribution(h));
        });
        int customers = p.getInteger("customers");
        int agents = scenario.equals("idle") ? 0 : p.getInteger("agents");
        double intended = scenario.equals("idle") ? 0 : p.getDouble("rate");
        double achieved = window > 0 && scenario.equals("chat") ? counts.getLong("phaseAcked", 0L) / window
                : scenario.equals("storm") && window > 0 ? counts.getLong("phaseAcked", 0L) / window : 0;
        if (scenario.equals("idle")) {
            intended = customers / Math.max(1e-9, p.getDouble("pingIntervalS"));
            achieved = counts.getLong("pingAcks", 0L) / Math.max(1e-9, p.getDouble("durationS"));
        }

        // server cost
        Double cpuPerMsg = null, procCpuPerMsg = null, bytesPerConn = null, rssPerConn = null, directPerConn = null;
        if (server.containsKey("cpuStart") && server.containsKey("cpuEnd")) {
            double cpu = server.getJsonObject("cpuEnd").getDouble("cpuSec") - server.getJsonObject("cpuStart").getDouble("cpuSec");
            double pcpu = server.getJsonObject("cpuEnd").getDouble("processCpuSec") - server.getJsonObject("cpuStart").getDouble("processCpuSec");
            double secs = (server.getJsonObject("cpuEnd").getLong("atMs") - server.getJsonObject("cpuStart").getLong("atMs")) / 1000.0;
            server.put("cpuSec", round(cpu, 2)).put("processCpuSec", round(pcpu, 2)).put("windowSec", round(secs, 2))
                    .put("cpuCoresBusy", round(cpu / Math.max(1e-9, secs), 3));
            // The CPU is the measured part's, so the messages are too: those acked in it. "acked" counts
            // the whole run's, the warm-up's too, which made the figure 1.15-1.8x too small.
            long work = scenario.equals("idle") ? counts.getLong("pingAcks", 0L) : counts.getLong("windowAcked", 0L);
            if (work > 0) {
                cpuPerMsg = cpu / work;
                procCpuPerMsg = pcpu / work;
            }
        }
        if (server.containsKey("memBefore") && server.containsKey("memAfterConnect")) {
            JsonObject b = server.getJsonObject("memBefore"), c = server.getJsonObject("memAfterConnect");
            long conns = counts.getLong("connected", 0L);
            if (conns > 0) {
                if (b.getLong("heapUsedBytes") != null && c.getLong("heapUsedBytes") != null) {
                    bytesPerConn = (double) Math.round((c.getLong("heapUsedBytes") - b.getLong("heapUsedBytes")) / (double) conns);
                }
                if (b.getLong("rssBytes", -1L) > 0 && c.getLong("rssBytes", -1L) > 0) {
                    rssPerConn = (double) Math.round((c.getLong("rssBytes") - b.getLong("rssBytes")) / (double) conns);
                }
                if (b.getLong("directBytes") != null && c.getLong("directBytes") != null) {
                    directPerConn = (double) Math.round((c.getLong("directBytes") - b.getLong("directBytes")) / (double) conns);
                }
            }
        }
        JsonArray perNodeBytes = null;
        if (server.containsKey("memBefore") && server.getJsonObject("memBefore").containsKey("nodes")
                && server.containsKey("memAfterConnect") && counts.getLong("connected", 0L) > 0) {
            // the customers are spread evenly over the nodes: heap growth of each / its share
            JsonArray b = server.getJsonObject("memBefore").getJsonArray("nodes");
            JsonArray c = server.getJsonObject("memAfterConnect").getJsonArray("nodes");
            double share = counts.getLong("connected", 0L) / (double) b.size();
            perNodeBytes = new JsonArray();
            for (int k = 0; k < b.size() && k < c.size(); k++) {
                Long hb = b.getJsonObject(k).getLong("heapUsedBytes"), hc = c.getJsonObject(k).getLong("heapUsedBytes");
                perNodeBytes.add(hb == null || hc == null ? null : (double) Math.round((hc - hb) / share));
            }
        }
        if (p.getBoolean("crash", false)) {
            // The survivors' readings leave out the killed node's share of the work and of the
            // sockets: per message or per connection they would come out too small. Raw readings stay under "server".
            cpuPerMsg = procCpuPerMsg = bytesPerConn = rssPerConn = directPerConn = null;
            perNodeBytes = null;
        }
        JsonObject s = new JsonObject()
                .put("scenario", scenario).put("target", t.name()).put("run", runName)
                .put("startedAt", LocalDateTime.now().toString())
                .put("connections", customers + agents).put("customers", customers).put("agents", agents)
                .put("teamSize", scenario.equals("idle") ? null : p.getInteger("teamSize")).put("generatorProcesses", workers)
                .put("serverNodes", t.nodes())
                .put("intendedRate", intended).put("achievedRate", round(achieved, 1))
                .put("durationS", p.getDouble("durationS"))
                .put("sent", counts.getLong("sent", 0L)).put("acked", counts.getLong("acked", 0L))
                .put("delivered", counts.getLong("delivered", 0L))
                .put("lost", counts.getLong("lost", 0L)).put("duplicated", counts.getLong("duplicated", 0L))
                .put("errors", errorTotal).put("errorsByCode", errors).put("errorSamples", samples)
                .put("mainMeasure", main)
                .put("p50Ms", mp.getValue("p50Ms")).put("p99Ms", mp.getValue("p99Ms")).put("p999Ms", mp.getValue("p999Ms"))
                .put("maxMs", mp.getValue("maxMs"))
                .put("serverCpuSecPerMsg", cpuPerMsg).put("serverProcessCpuSecPerMsg", procCpuPerMsg)
                .put("serverBytesPerConnection", bytesPerConn).put("serverRssBytesPerConnection", rssPerConn)
                .put("serverDirectBytesPerConnection", directPerConn)
                .put("serverBytesPerConnectionPerNode", perNodeBytes)
                .put("measures", measures).put("counts", counts).put("lostSamples", lostSamples)
                .put("server", server).put("params", p).put("timeline", new JsonArray(new ArrayList<>(timeline)))
                .put("distributions", dists).put("mainHist", Hist.encode(mainH));
        if (setup.containsKey("maxChats")) {
            s.put("agentMaxChats", setup.getInteger("maxChats"));
        }
        s.put("verdict", verdictText(s));
        return s;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String verdictText(JsonObject s) {
        List<String> bad = new ArrayList<>();
        if (s.getLong("lost") > 0) {
            bad.add(s.getLong("lost") + " lost");
        }
        if (s.getLong("duplicated") > 0) {
            bad.add(s.getLong("duplicated") + " duplicated");
        }
        if (s.getLong("errors") > 0) {
            bad.add(s.getLong("errors") + " errors " + s.getJsonObject("errorsByCode").encode());
        }
        JsonObject c = s.getJsonObject("counts");
        if (c.getLong("unacked", 0L) > 0) {
            bad.add(c.getLong("unacked") + " never acked");
        }
        if (c.getLong("seqGaps", 0L) > 0) {
            bad.add(c.getLong("seqGaps") + " seq gaps");
        }
        if (c.getLong("dropped", 0L) > 0) {
            bad.add(c.getLong("dropped") + " sockets dropped");
        }
        if (!s.getString("scenario").equals("idle") && c.getLong("conversations", 0L) < s.getInteger("customers")) {
            bad.add((s.getInteger("customers") - c.getLong("conversations", 0L)) + " conversations not routed");
        }
        if (s.getString("scenario").equals("idle") && c.getLong("connected", 0L) < s.getInteger("customers")) {
            bad.add((s.getInteger("customers") - c.getLong("connected", 0L)) + " sockets not connected");
        }
        long planned = c.getLong("stormPlanned", (long) s.getInteger("customers")); // a crash: the killed node's customers
        if (s.getString("scenario").equals("storm") && c.getLong("stormCustomers", 0L) < planned) {
            bad.add("only " + c.getLong("stormCustomers", 0L) + " of " + planned
                    + " customers had a routed conversation when the storm began");
        }
        if (s.getString("scenario").equals("storm") && c.getLong("resumed", 0L) < c.getLong("stormCustomers", 0L)) {
            bad.add((c.getLong("stormCustomers") - c.getLong("resumed", 0L)) + " customers not resumed");
        }
        if (c.getLong("agentsResumed", 0L) < c.getLong("crashAgents", 0L)) {
            bad.add((c.getLong("crashAgents") - c.getLong("agentsResumed", 0L)) + " agents of the killed node not back");
        }
        return bad.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", bad);
    }

    private boolean verdict(JsonObject s) {
        return s.getString("verdict").equals("PASS");
    }

    /** Process {@code w}'s share of a total split over {@code workers} processes: the shares add up to it exactly. */
    private static int share(int total, int w, int workers) {
        return (int) ((long) total * (w + 1) / workers - (long) total * w / workers);
    }

    private static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    private void write(JsonObject s) throws IOException {
        String base = s.getString("run");
        Path json = resultsDir.resolve(base + ".json");
        Path html = resultsDir.resolve(base + ".html");
        Files.writeString(json, s.encodePrettily());
        Files.writeString(html, Report.html(s));
        System.out.println();
        System.out.printf(Locale.ROOT, "%s/%s: intended %.0f/s achieved %.1f/s sent %d delivered %d lost %d duplicated %d errors %d%n",
                s.getString("scenario"), s.getString("target"), s.getDouble("intendedRate"), s.getDouble("achievedRate"), s.getLong("sent"),
                s.getLong("delivered"), s.getLong("lost"), s.getLong("duplicated"), s.getLong("errors"));
        JsonObject ms = s.getJsonObject("measures");
        for (String k : ms.fieldNames()) {
            JsonObject m = ms.getJsonObject(k);
            System.out.printf(Locale.ROOT, "  %-13s n=%-8d p50 %8s  p99 %8s  p99.9 %8s  max %8s ms%n", k, m.getLong("count"), m.getValue("p50Ms"),
                    m.getValue("p99Ms"), m.getValue("p999Ms"), m.getValue("maxMs"));
        }
        System.out.printf(Locale.ROOT, "  server: cpu/msg %s s (process alone %s s), heap/conn %s B, rss/conn %s B, %s%n",
                fmt(s.getDouble("serverCpuSecPerMsg")), fmt(s.getDouble("serverProcessCpuSecPerMsg")), s.getValue("serverBytesPerConnection"),
                s.getValue("serverRssBytesPerConnection"), s.getJsonObject("server").getValue("cpuCoresBusy") + " cores busy");
        System.out.println("  verdict: " + s.getString("verdict"));
        System.out.println("  summary: " + json.toAbsolutePath());
        System.out.println("  report:  " + html.toAbsolutePath());
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.3g", d);
    }
}
