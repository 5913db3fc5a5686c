package io.switchboard.load;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages one generator process sent and follows until they are acked and delivered, by
 * clientMsgId. A completed message is let go of {@link #RETIRE_NS} after it completed, so a long
 * run's memory does not grow with every message it sent; it is then remembered by its number alone,
 * so a delivery that comes after that is still known as one of ours (a duplicate), not taken for a
 * message someone else sent.
 */
final class Ledger {

    /**
     * How long a completed message is still followed: within it, a second delivery (a resumed socket
     * reading history that also had it live) is told apart as overlap or duplicate by what was seen of
     * it. Far longer than a storm's reconnect.
     */
    static final long RETIRE_NS = TimeUnit.SECONDS.toNanos(30);

    private final String prefix;
    private final AtomicInteger numbers = new AtomicInteger();
    private final Map<String, Worker.Msg> followed = new ConcurrentHashMap<>();
    /** Completed messages in the order they completed. */
    private final ConcurrentLinkedQueue<Worker.Msg> completed = new ConcurrentLinkedQueue<>();
    /** The numbers of the messages let go of. */
    private final BitSet retired = new BitSet();

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
        followed.put(m.cmid, m);
    }

    /** The message followed under this clientMsgId, or null (none, or let go of). */
    Worker.Msg get(String clientMsgId) {
        return clientMsgId == null ? null : followed.get(clientMsgId);
    }

    /** Every message still followed. */
    Iterable<Worker.Msg> followed() {
        return followed.values();
    }

    /** m is acked and delivered: let go of it {@link #RETIRE_NS} after now. */
    void completed(Worker.Msg m, long nowNs) {
        m.completedNs = nowNs;
        completed.add(m);
    }

    /** Lets go of the messages completed more than {@link #RETIRE_NS} before nowNs. */
    void retire(long nowNs) {
        long before = nowNs - RETIRE_NS;
        for (Worker.Msg m = completed.peek(); m != null && m.completedNs - before < 0; m = completed.peek()) {
            completed.poll();
            synchronized (retired) {
                retired.set(m.n);
            }
            followed.remove(m.cmid);
        }
    }

    /** Whether this clientMsgId is one of this worker's messages, completed and let go of. */
    boolean retired(String clientMsgId) {
        int at = prefix.length();
        if (clientMsgId == null || clientMsgId.length() <= at + 1 || !clientMsgId.startsWith(prefix)
                || (clientMsgId.charAt(at) != 'c' && clientMsgId.charAt(at) != 'a')) {
            return false;
        }
        int n;
        try {
            n = Integer.parseInt(clientMsgId.substring(at + 1), 36);
        } catch (NumberFormatException e) {
            return false;
        }
        synchronized (retired) {
            return n >= 0 && retired.get(n);
        }
    }
}
