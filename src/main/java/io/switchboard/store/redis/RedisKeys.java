package io.switchboard.store.redis;

/** Every Redis key, built in one place from the configured prefix (tests use their own). */
public final class RedisKeys {
    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** An agent's presence status while any of its sockets is open; expires without heartbeats. */
    public String presence(String agentId) {
        return prefix + "presence:" + agentId;
    }
}
