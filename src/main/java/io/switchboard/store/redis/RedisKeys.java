package io.switchboard.store.redis;

/**
 * Every Redis key, built in one place from the configured prefix (tests use their own).
 * {@code src/main/resources/redis/README.md} describes each.
 */
public final class RedisKeys {
    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** An agent's presence status while it is present; expires without heartbeats (for outside readers). */
    public String presence(String agentId) {
        return prefix + "presence:" + agentId;
    }

    /** An agent's routing state: status, max, load, idle. */
    public String agent(String agentId) {
        return agentPrefix() + agentId;
    }

    public String agentPrefix() {
        return prefix + "agent:";
    }

    /** Agents that may be routed conversations of a pool. */
    public String pool(String poolId) {
        return prefix + "pool:" + poolId;
    }

    /** Waiting conversations of a pool, by arrival. */
    public String queue(String poolId) {
        return prefix + "queue:" + poolId;
    }

    /** Queue positions last announced to the customers of a pool. */
    public String positions(String poolId) {
        return prefix + "qpos:" + poolId;
    }

    /** Agent id → until when it is present. */
    public String present() {
        return prefix + "present";
    }

    /** Conversation id → when it rings again. */
    public String realert() {
        return prefix + "realert";
    }

    /** "pool conversation arrival" → when assign.lua took it from its queue, until Postgres answered. */
    public String assigning() {
        return prefix + "assigning";
    }

    /**
     * When the Postgres that routing state was last rebuilt from started; "rebuild" when it is absent
     * (Redis lost its state) or differs from the running Postgres' (it restarted, see epoch.lua).
     */
    public String epoch() {
        return prefix + "epoch";
    }
}
