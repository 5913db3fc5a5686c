package io.switchboard.load;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages one generator process sent, by number. A message in flight (not yet both acked and
 * delivered) is followed as a {@link Worker.Msg}; once complete, only what tells a later delivery
 * of it apart (overlap, or a duplicate) is kept: its message id's 64-bit hash and the socket
 * generation that last had it live, 12 bytes in arrays of primitives.
 *
 * <p>Why: a generator at 10,000 msg/s that kept every Msg (~400 bytes and nine objects with its
 * strings) grew by 4 MB a second, and its young collections, copying tens of thousands of messages
 * that had to outlive them, paused it for 22-45 ms every 3 s: a pause of the generator is latency
 * it measures. A completed Msg now dies young, and what is kept is nothing a collector scans.
 */
final class Ledger {

    /** A completed message's record: its id's hash and its live generation. */
    record Done(long idHash, int liveGen) {
    }

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final String prefix;
    private final AtomicInteger numbers = new AtomicInteger();
    private final Map<String, Worker.Msg> inFlight = new ConcurrentHashMap<>();
    /** By number, in chunks: the completed message's id hash (0: none known). */
    private long[][] idHashes = new long[0][];
    /** By number, in chunks: its live generation + 2 (0: not completed; a generation is -1 when never live). */
    private int[][] gens = new int[0][];

    /** @param workerId the generator process's id, part of every clientMsgId it makes */
    Ledger(int workerId) {
        this.prefix = "w" + workerId;
    }

    /** The next message's number. */
    int next() {
        return numbers.incrementAndGet();
    }

    /** The clientMsgId of message n: this worker's prefix, its direction, n in base 36. */
    String clientMsgId(int n, boolean c2a) {
        return prefix + (c2a ? "c" : "a") + Integer.toString(n, 36);
    }

    void follow(Worker.Msg m) {
        inFlight.put(m.cmid, m);
    }

    /** The message in flight under this clientMsgId, or null (none, or completed). */
    Worker.Msg get(String clientMsgId) {
        return clientMsgId == null ? null : inFlight.get(clientMsgId);
    }

    /** Every message in flight. */
    Iterable<Worker.Msg> inFlight() {
        return inFlight.values();
    }

    /**
     * m is acked and delivered: its record is kept, and it is no longer followed. The record is
     * written first, so that a delivery looked up meanwhile finds one or the other.
     */
    synchronized void completed(Worker.Msg m) {
        int chunk = m.n >>> CHUNK_BITS;
        if (chunk >= gens.length) {
            int size = Math.max(chunk + 1, gens.length * 2);
            idHashes = Arrays.copyOf(idHashes, size);
            gens = Arrays.copyOf(gens, size);
        }
        if (gens[chunk] == null) {
            idHashes[chunk] = new long[CHUNK];
            gens[chunk] = new int[CHUNK];
        }
        int i = m.n & (CHUNK - 1);
        idHashes[chunk][i] = idHash(m.deliveredMessageId);
        gens[chunk][i] = m.liveGen + 2;
        inFlight.remove(m.cmid);
    }

    /** The record of a completed message of this worker's, or null (not ours, or not completed). */
    synchronized Done done(String clientMsgId) {
        int n = completedNumber(clientMsgId);
        return n < 0 ? null : new Done(idHashes[n >>> CHUNK_BITS][n & (CHUNK - 1)], gens[n >>> CHUNK_BITS][n & (CHUNK - 1)] - 2);
    }

    /** A completed message was had live by socket generation {@code gen}. */
    synchronized void live(String clientMsgId, int gen) {
        int n = completedNumber(clientMsgId);
        if (n >= 0) {
            gens[n >>> CHUNK_BITS][n & (CHUNK - 1)] = gen + 2;
        }
    }

    /** The number of a completed message of this worker's, or -1. Called holding this ledger's lock. */
    private int completedNumber(String clientMsgId) {
        int n = number(clientMsgId);
        int chunk = n >>> CHUNK_BITS;
        return n > 0 && chunk < gens.length && gens[chunk] != null && gens[chunk][n & (CHUNK - 1)] != 0 ? n : -1;
    }

    /** A message id's 64-bit hash (FNV-1a); 0 for none. */
    static long idHash(String messageId) {
        if (messageId == null) {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < messageId.length(); i++) {
            h = (h ^ messageId.charAt(i)) * 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** The number in one of this worker's clientMsgIds, or -1. */
    private int number(String clientMsgId) {
        int at = prefix.length();
        if (clientMsgId == null || clientMsgId.length() <= at + 1 || !clientMsgId.startsWith(prefix)
                || (clientMsgId.charAt(at) != 'c' && clientMsgId.charAt(at) != 'a')) {
            return -1;
        }
        try {
            return Integer.parseInt(clientMsgId.substring(at + 1), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
