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

    /** Runs on the calling thread; returns the number of events fired. */
    long run(double ratePerSec, long maxCount, long durationNanos, Action action) {
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
            if (now >= due) {
                try {
                    action.run(i, due);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
                i++;
            } else {
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
            }
        }
        return i;
    }
}
