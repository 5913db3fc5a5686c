package io.switchboard.load;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server process from outside: CPU seconds (utime+stime of /proc/PID/stat, summed over the
 * process, its descendants and any extra process trees such as the Postgres it stores into), RSS
 * (/proc/PID/status), heap used after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info})
 * and direct buffers (the server's /metrics {@code jvm_buffer_memory_used_bytes{id="direct"}}, when it has one).
 */
final class Probe {
    private static final double CLK_TCK = 100.0;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern DIRECT = Pattern.compile("^jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*} ([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final Pattern HEAP_METRIC = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+-]+)", Pattern.MULTILINE);

    final int pid;
    /** Every node of the server (one unless a cluster); pid is the first. */
    final List<Integer> pids;
    final List<Integer> extraRoots;
    final boolean java;
    final String metricsUrl;
    final List<String> metricsUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    Probe(int pid, List<Integer> extraRoots, boolean java, String metricsUrl) {
        this(List.of(pid), extraRoots, java, metricsUrl == null ? List.of() : List.of(metricsUrl));
    }

    /** A server of several nodes: CPU and memory are summed over them (and reported per node). */
    Probe(List<Integer> pids, List<Integer> extraRoots, boolean java, List<String> metricsUrls) {
        this.pids = List.copyOf(pids);
        this.pid = pids.get(0);
        this.extraRoots = extraRoots;
        this.java = java;
        this.metricsUrls = metricsUrls;
        this.metricsUrl = metricsUrls.isEmpty() ? null : metricsUrls.get(0);
    }

    /** Compile tasks queued or running in a JVM ({@code jcmd PID Compiler.queue}); -1 when it cannot be read. */
    static int compileQueue(int pid) {
        String out = jcmd(pid, "Compiler.queue");
        if (!out.contains("compile queue")) {
            return -1;
        }
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.contains("::")) {
                n++;
            }
        }
        return n;
    }

    /**
     * Waits until the JIT of every JVM is quiet: at most {@code quietMsPerS} milliseconds of
     * compilation in each of the last two seconds ({@link PerfCounters}), or maxMs passed. A JVM
     * whose counters cannot be read counts as quiet once it has at most two compile tasks queued or
     * running ({@code jcmd PID Compiler.queue}). An empty queue alone was not enough: JVMs it let
     * through still compiled 100-270 methods a second ({@code jstat -compiler}). Prints one line a second. Returns {waitedMs, quiet, compileMsPerS (last
     * reading per JVM; -1 where only the queue was read)}.
     */
    static JsonObject waitJitQuiet(List<Integer> jvms, long maxMs, double quietMsPerS) {
        Map<Integer, Double> before = new HashMap<>();
        for (int p : jvms) {
            before.put(p, PerfCounters.compileMillis(p));
        }
        io.vertx.core.json.JsonArray[] last = {new io.vertx.core.json.JsonArray()};
        JsonObject waited = pollUntilQuiet(maxMs, () -> {
            last[0] = new io.vertx.core.json.JsonArray();
            boolean quiet = true;
            for (int p : jvms) {
                double now = PerfCounters.compileMillis(p);
                double was = before.put(p, now);
                if (now >= 0 && was >= 0) {
                    double rate = now - was;
                    last[0].add(Math.round(rate));
                    quiet &= rate <= quietMsPerS;
                } else {
                    last[0].add(-1);
                    quiet &= compileQueue(p) <= 2;
                }
            }
            System.out.printf(Locale.ROOT, "  JIT: compile ms in the last second per JVM %s%n", last[0].encode());
            return quiet;
        });
        return waited.put("compileMsPerS", last[0]);
    }

    /**
     * Takes a reading a second until two in a row are quiet, or maxMs passed (or the thread is
     * interrupted: not quiet). Returns {waitedMs, quiet}.
     */
    private static JsonObject pollUntilQuiet(long maxMs, java.util.function.BooleanSupplier quietThisSecond) {
        long t0 = System.currentTimeMillis();
        int quietReadings = 0;
        while (quietReadings < 2 && System.currentTimeMillis() - t0 < maxMs) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new JsonObject().put("waitedMs", System.currentTimeMillis() - t0).put("quiet", false);
            }
            quietReadings = quietThisSecond.getAsBoolean() ? quietReadings + 1 : 0;
        }
        return new JsonObject().put("waitedMs", System.currentTimeMillis() - t0).put("quiet", quietReadings >= 2);
    }

    /**
     * Waits until the machine is quiet: at most {@code busyFraction} of all its cores busy (from
     * {@code /proc/stat}) in each of the last two seconds, or maxMs passed. Why: a compare round
     * must not start while the target before it is still working off its backlog. Socket.IO's
     * Postgres pool queues every insert it cannot yet run, and after a round it could not carry
     * (1,500 of 10,000 msg/s) it went on inserting into the shared Postgres well into the next
     * round, whose Switchboard then carried 7,500 msg/s instead of the 9,997 of the round before.
     * Prints one line a second while it waits. Returns {waitedMs, quiet, busy (last second's)}.
     */
    static JsonObject waitMachineQuiet(long maxMs, double busyFraction) {
        long[][] before = {machineTicks()};
        double[] busy = {-1};
        if (before[0] == null) {
            return new JsonObject().put("waitedMs", 0L).put("quiet", false).put("busy", -1.0);
        }
        JsonObject waited = pollUntilQuiet(maxMs, () -> {
            long[] now = machineTicks();
            if (now == null) {
                return true; // unreadable now: nothing to wait for
            }
            long total = now[0] - before[0][0];
            busy[0] = total <= 0 ? 0 : 1.0 - (double) (now[1] - before[0][1]) / total;
            before[0] = now;
            System.out.printf(Locale.ROOT, "  machine: %.0f %% busy (waiting for <= %.0f %%)%n", busy[0] * 100, busyFraction * 100);
            return busy[0] <= busyFraction;
        });
        return waited.put("busy", Math.round(busy[0] * 1000) / 1000.0);
    }

    /** All cores' ticks from /proc/stat's first line: {total, idle + iowait}, or null when unreadable. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is inside user already)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[]{total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU seconds of one process alone. */
    static double cpuOf(int pid) {
        return cpuOf(pid, false);
    }

    /**
     * CPU seconds of one process, with {@code reaped} also of its children that have exited and been
     * waited for. A tree's sum must include them: Postgres backends come and go (a pool closing an
     * idle connection), and without their time the sum fell during a window and went negative.
     */
    static double cpuOf(int pid, boolean reaped) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (reaped) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static int ppidOf(String statText) {
        String[] f = statText.substring(statText.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[1]);
    }

    /** Every process below the roots, the roots included. */
    static Set<Integer> trees(List<Integer> roots) {
        Map<Integer, List<Integer>> children = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    int p = Integer.parseInt(name);
                    int pp = ppidOf(Files.readString(d.resolve("stat")));
                    children.computeIfAbsent(pp, k -> new ArrayList<>()).add(p);
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return new HashSet<>(roots);
        }
        Set<Integer> out = new HashSet<>();
        List<Integer> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            int p = todo.remove(todo.size() - 1);
            if (p > 0 && out.add(p)) {
                todo.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return out;
    }

    static long rssBytes(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not readable
        }
        return -1;
    }

    private static String jcmd(int pid, String what) {
        try {
            Process p = new ProcessBuilder("jcmd", Integer.toString(pid), what).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private String metrics(String url) {
        if (url == null) {
            return null;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static Double sum(Pattern p, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = p.matcher(text);
        double total = 0;
        boolean any = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            any = true;
        }
        return any ? total : null;
    }

    /** CPU now: {cpuSec (process tree + extra trees), processCpuSec}. */
    JsonObject cpu() {
        List<Integer> roots = new ArrayList<>(pids);
        roots.addAll(extraRoots);
        double total = 0;
        for (int p : trees(roots)) {
            total += cpuOf(p, true);
        }
        double proc = 0;
        io.vertx.core.json.JsonArray perNode = new io.vertx.core.json.JsonArray();
        for (int p : pids) {
            double c = cpuOf(p);
            proc += c;
            perNode.add(c);
        }
        JsonObject o = new JsonObject().put("cpuSec", total).put("processCpuSec", proc).put("atMs", System.currentTimeMillis());
        if (pids.size() > 1) {
            o.put("nodeProcessCpuSec", perNode);
        }
        return o;
    }

    /** Memory now, summed over the nodes (each also under "nodes" when several); with gc, after a full GC (Java servers only). */
    JsonObject memory(boolean gc) {
        if (pids.size() == 1) {
            return memoryOf(pid, metricsUrl, gc);
        }
        JsonObject sum = new JsonObject();
        io.vertx.core.json.JsonArray nodes = new io.vertx.core.json.JsonArray();
        for (int k = 0; k < pids.size(); k++) {
            JsonObject n = memoryOf(pids.get(k), k < metricsUrls.size() ? metricsUrls.get(k) : null, gc);
            nodes.add(n);
            for (String f : n.fieldNames()) {
                Long v = n.getLong(f);
                if (v != null && v >= 0) {
                    sum.put(f, sum.getLong(f, 0L) + v);
                }
            }
        }
        return sum.put("nodes", nodes);
    }

    /**
     * A full collection in a generator process, before a measured part: what its warm-up and open
     * phase left alive moves to the old generation now, instead of being copied by the first young
     * collections of the measured part (pauses of 50-100 ms at 10,000 msg/s, against 2-5 ms after).
     * The server gets the same from the memory probe.
     */
    static void collectGenerator(long pid) {
        jcmd((int) pid, "GC.run");
    }

    private JsonObject memoryOf(int pid, String metricsUrl, boolean gc) {
        JsonObject o = new JsonObject().put("rssBytes", rssBytes(pid));
        if (java) {
            if (gc) {
                jcmd(pid, "GC.run");
            }
            Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
            if (m.find()) {
                o.put("heapUsedBytes", Long.parseLong(m.group(1)) * 1024);
            }
        }
        String metrics = metrics(metricsUrl);
        Double direct = sum(DIRECT, metrics);
        if (direct != null) {
            o.put("directBytes", direct.longValue());
        }
        Double heap = sum(HEAP_METRIC, metrics);
        if (heap != null) {
            o.put("heapUsedMetricBytes", heap.longValue());
        }
        return o;
    }
}
