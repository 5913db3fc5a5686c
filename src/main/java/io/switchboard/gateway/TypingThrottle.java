package io.switchboard.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * Typing indicators of one socket, throttled: "typing on" is relayed at most once a second per
 * conversation (a client may send one per keystroke); "off" always goes through. Confined to the
 * socket's event loop.
 */
final class TypingThrottle {
    static final long MIN_INTERVAL_MS = 1000;
    private static final int MAX_TRACKED = 64;

    private final Map<String, Long> lastOn = new HashMap<>();

    boolean allow(String conversationId, boolean on) {
        if (!on) {
            lastOn.remove(conversationId);
            return true;
        }
        long now = System.currentTimeMillis();
        Long last = lastOn.get(conversationId);
        if (last != null && now - last < MIN_INTERVAL_MS) {
            return false;
        }
        if (lastOn.size() >= MAX_TRACKED) {
            lastOn.clear();
        }
        lastOn.put(conversationId, now);
        return true;
    }
}
