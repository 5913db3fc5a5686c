package io.switchboard.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A HotSpot JVM's performance counters, read from the file it keeps them in
 * ({@code /tmp/hsperfdata_<user>/<pid>}, the source of {@code jstat}), without starting a JVM the way
 * every {@code jcmd} or {@code jstat} does (about a third of a core for a second, on the machine
 * being measured).
 */
final class PerfCounters {
    private static final int MAGIC = 0xcafec0c0;

    private PerfCounters() {
    }

    /** The JVM's scalar long counters by name; empty when it has none readable (not HotSpot, -XX:-UsePerfData, gone). */
    static Map<String, Long> read(int pid) {
        Map<String, Long> out = new HashMap<>();
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(Files.readAllBytes(file(pid)));
        } catch (IOException | RuntimeException e) {
            return out;
        }
        if (b.remaining() < 32 || b.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
            return out;
        }
        b.order(b.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int at = b.getInt(24);
        int entries = b.getInt(28);
        for (int i = 0; i < entries && at + 20 <= b.limit(); i++) {
            int length = b.getInt(at);
            if (length <= 0) {
                break;
            }
            int nameAt = at + b.getInt(at + 4);
            int vector = b.getInt(at + 8);
            byte type = b.get(at + 12);
            int dataAt = at + b.getInt(at + 16);
            if (vector == 0 && type == 'J' && dataAt + 8 <= b.limit()) {
                int end = nameAt;
                while (end < b.limit() && b.get(end) != 0) {
                    end++;
                }
                out.put(new String(b.array(), nameAt, end - nameAt, StandardCharsets.US_ASCII), b.getLong(dataAt));
            }
            at += length;
        }
        return out;
    }

    /**
     * Milliseconds the JIT has spent compiling since the JVM started ({@code java.ci.totalTime}, in
     * ticks of {@code sun.os.hrt.frequency}); -1 when it cannot be read.
     */
    static double compileMillis(int pid) {
        Map<String, Long> c = read(pid);
        Long ticks = c.get("java.ci.totalTime");
        Long frequency = c.get("sun.os.hrt.frequency");
        return ticks == null || frequency == null || frequency <= 0 ? -1 : ticks * 1000.0 / frequency;
    }

    private static Path file(int pid) {
        // HotSpot keeps it under /tmp on Linux whatever java.io.tmpdir says.
        return Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"), Integer.toString(pid));
    }
}
