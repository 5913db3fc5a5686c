package io.switchboard.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

/** HdrHistogram helpers: microsecond histograms, compressed base64 transport, percentile views. */
final class Hist {
    static final long HIGHEST_US = 3_600_000_000L; // one hour
    static final int DIGITS = 3;

    private Hist() {
    }

    static Histogram empty() {
        return new Histogram(HIGHEST_US, DIGITS);
    }

    /**
     * A buffer as large as a histogram's counts, kept per thread: every measure is encoded every
     * second, and a fresh buffer each time was 2 % of the generator's allocation (JFR, 4,000 msg/s).
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    static String encode(Histogram h) {
        int need = h.getNeededByteBufferCapacity();
        ByteBuffer buf = SCRATCH.get();
        if (buf == null || buf.capacity() < need) {
            buf = ByteBuffer.allocate(need);
            SCRATCH.set(buf);
        }
        buf.clear();
        int n = h.encodeIntoCompressedByteBuffer(buf);
        byte[] out = new byte[n];
        buf.flip();
        buf.get(out);
        return Base64.getEncoder().encodeToString(out);
    }

    static Histogram decode(String b64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    static double ms(long us) {
        return Math.round(us / 10.0) / 100.0; // µs -> ms, two decimals
    }

    /** count, p50, p90, p99, p99.9, max and mean in milliseconds. */
    static JsonObject percentiles(Histogram h) {
        JsonObject o = new JsonObject().put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return o.putNull("p50Ms").putNull("p90Ms").putNull("p99Ms").putNull("p999Ms").putNull("maxMs").putNull("meanMs");
        }
        return o.put("p50Ms", ms(h.getValueAtPercentile(50)))
                .put("p90Ms", ms(h.getValueAtPercentile(90)))
                .put("p99Ms", ms(h.getValueAtPercentile(99)))
                .put("p999Ms", ms(h.getValueAtPercentile(99.9)))
                .put("maxMs", ms(h.getMaxValue()))
                .put("meanMs", Math.round(h.getMean() / 10.0) / 100.0);
    }

    /** [[percentile, ms], ...] along the usual log-scale percentile axis, for the distribution plot. */
    static JsonArray distribution(Histogram h) {
        JsonArray out = new JsonArray();
        if (h.getTotalCount() == 0) {
            return out;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            out.add(new JsonArray().add(Math.min(p, 99.99999)).add(ms(v.getValueIteratedTo())));
            if (p >= 100.0) {
                break;
            }
        }
        return out;
    }
}
