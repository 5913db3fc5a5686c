package io.switchboard.load;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A generator process's measurements: one HdrHistogram recorder per measure (microseconds,
 * thread-safe), the counters, and errors by code. {@link #interval()} drains the recorders into the
 * totals and returns what happened since the previous call (for the per-second progress line).
 */
final class Stats {
    static final String[] MEASURES = {"e2e", "c2a", "a2c", "ack", "routing", "routingAgent", "connect", "ping",
            "reconnect", "resume", "agentReconnect", "agentResume"};

    private final Map<String, Recorder> recorders = new LinkedHashMap<>();
    private final Map<String, Histogram> totals = new LinkedHashMap<>();
    /**
     * Each recorder's last interval histogram, handed back to it at the next interval: a new one per
     * measure every second (counts for an hour at 3 digits) was 9 % of the generator's allocation in
     * a JFR profile of a 4,000 msg/s run.
     */
    private final Map<String, Histogram> spare = new LinkedHashMap<>();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, String> errorSamples = new ConcurrentHashMap<>();

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder observerDeliveries = new LongAdder();
    final LongAdder overlap = new LongAdder();
    final LongAdder openSockets = new LongAdder();
    final LongAdder connected = new LongAdder();
    final LongAdder dropped = new LongAdder();

    private long lastSent;
    private long lastAcked;
    private long lastDelivered;
    private long lastErrors;

    Stats() {
        for (String m : MEASURES) {
            recorders.put(m, new Recorder(Hist.HIGHEST_US, Hist.DIGITS));
            totals.put(m, Hist.empty());
        }
    }

    /** Off during a warm-up: nothing is recorded in the histograms. */
    volatile boolean recording = true;

    void record(String measure, long nanos) {
        if (!recording) {
            return;
        }
        long us = Math.max(0, nanos / 1000);
        recorders.get(measure).recordValue(Math.min(us, Hist.HIGHEST_US));
    }

    void error(String code, String sample) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
        if (sample != null) {
            errorSamples.putIfAbsent(code, sample.length() > 300 ? sample.substring(0, 300) : sample);
        }
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Interval since the last call: counts and encoded interval histograms; totals absorb them. */
    synchronized JsonObject interval() {
        JsonObject o = new JsonObject();
        long s = sent.sum(), a = acked.sum(), d = delivered.sum(), e = errorCount();
        o.put("sent", s - lastSent).put("acked", a - lastAcked).put("delivered", d - lastDelivered)
                .put("errors", e - lastErrors).put("open", openSockets.sum()).put("connected", connected.sum())
                .put("totalSent", s).put("totalDelivered", d).put("totalErrors", e);
        lastSent = s;
        lastAcked = a;
        lastDelivered = d;
        lastErrors = e;
        JsonObject hs = new JsonObject();
        for (Map.Entry<String, Recorder> r : recorders.entrySet()) {
            Histogram h = r.getValue().getIntervalHistogram(spare.get(r.getKey()));
            spare.put(r.getKey(), h);
            if (h.getTotalCount() > 0) {
                totals.get(r.getKey()).add(h);
                hs.put(r.getKey(), Hist.encode(h));
            }
        }
        o.put("hist", hs);
        return o;
    }

    /** Totals (call {@link #interval()} first to absorb the last interval). */
    synchronized JsonObject totals() {
        JsonObject hs = new JsonObject();
        totals.forEach((k, h) -> {
            if (h.getTotalCount() > 0) {
                hs.put(k, Hist.encode(h));
            }
        });
        JsonObject errs = new JsonObject();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        JsonObject samples = new JsonObject();
        errorSamples.forEach(samples::put);
        return new JsonObject().put("hist", hs).put("errors", errs).put("errorSamples", samples);
    }
}
