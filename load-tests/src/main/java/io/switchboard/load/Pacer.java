package io.switchboard.load;

import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: event i is due at t0 + i / rate, whatever happened to the earlier ones.
 * The action gets the INTENDED time, so a late send (the generator or the server stalled) shows up
 * as latency instead of silently lowering the rate (no coordinated omission).
 */
final class Pacer {
    interface Action {
        void run(long i, long intendedNanos);
    }

    private volatile boolean stopped;

    void stop() {
        stopped = true;
    }

    /** Runs on the calling thread, each event at its time; returns the number of events fired. */
    long run(double ratePerSec, long maxCount, long durationNanos, Action action) {
        return run(ratePerSec, maxCount, durationNanos, 0, action, () -> {
        });
    }

    /**
     * Like {@link #run(double, long, long, Action)}, but wakes at most once per {@code quantumNanos}
     * and then fires every event that is due, followed by {@code endOfBurst}. Parking for each of
     * 6,000 events a second cost the generator a tenth of a core; an event's latency still counts
     * from its intended time, so the wait for its burst is measured, not hidden.
     */
    long run(double ratePerSec, long maxCount, long durationNanos, long quantumNanos, Action action, Runnable endOfBurst) {
        long t0 = System.nanoTime();
        double interval = 1e9 / ratePerSec;
        long i = 0;
        long end = durationNanos > 0 ? t0 + durationNanos : Long.MAX_VALUE;
        while (!stopped && i < maxCount) {
            long due = t0 + (long) (i * interval);
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(Math.min(Math.max(due - now, quantumNanos), 1_000_000));
                continue;
            }
            for (; !stopped && i < maxCount && due <= now && due < end; due = t0 + (long) (++i * interval)) {
                try {
                    action.run(i, due);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            }
            endOfBurst.run();
        }
        return i;
    }
}
