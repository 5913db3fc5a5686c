package io.switchboard.gateway;

/**
 * A token bucket per socket: {@code perSecond} frames a second on average, bursts of up to
 * {@code burst}. A socket that keeps exceeding it (more refused frames than a burst, without a
 * pause of {@link #FORGIVE_MS}) is abusive and gets closed. Confined to the socket's event loop.
 */
final class RateLimit {
    static final long FORGIVE_MS = 10_000;

    /** What to do with a frame. */
    enum Verdict { ACCEPT, REFUSE, CLOSE }

    private final double perMilli;
    private final double burst;
    private double tokens;
    private long last;
    private int refused;
    private long lastRefused;

    /** @param perSecond 0 disables the limit */
    RateLimit(int perSecond, int burst, long now) {
        this.perMilli = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    Verdict take(long now) {
        if (perMilli == 0) {
            return Verdict.ACCEPT;
        }
        tokens = Math.min(burst, tokens + (now - last) * perMilli);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        if (now - lastRefused > FORGIVE_MS) {
            refused = 0;
        }
        lastRefused = now;
        return ++refused > burst ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
