package io.switchboard.config;

import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads {@link Config}: defaults, then the YAML file, then environment variables. Unknown keys,
 * wrong types and out-of-range values are all collected and reported together.
 */
public final class ConfigLoader {

    /** The table of every key; {@code conf/switchboard.yaml} documents each one. */
    static final List<Setting> SETTINGS = List.of(
            Setting.string("http.host", "SWITCHBOARD_HTTP_HOST", "0.0.0.0"),
            Setting.integer("http.port", "SWITCHBOARD_HTTP_PORT", 8080, 0, 65535),
            Setting.integer("http.maxFrameBytes", "SWITCHBOARD_MAX_FRAME_BYTES", 65536, 1024, 16 * 1024 * 1024),
            Setting.integer("http.maxTextChars", "SWITCHBOARD_MAX_TEXT_CHARS", 10000, 1, 1_000_000),
            Setting.integer("http.pingIntervalSeconds", "SWITCHBOARD_PING_INTERVAL_S", 25, 1, 3600),
            Setting.integer("http.writeQueueMaxBytes", "SWITCHBOARD_WRITE_QUEUE_MAX_BYTES", 1 << 20, 4096, 1 << 30),
            Setting.integer("http.rateLimitPerSecond", "SWITCHBOARD_RATE_LIMIT_PER_S", 100, 0, 1_000_000),
            Setting.integer("http.rateLimitBurst", "SWITCHBOARD_RATE_LIMIT_BURST", 400, 1, 1_000_000),
            Setting.integer("http.verticles", "SWITCHBOARD_VERTICLES", 0, 0, 256),
            Setting.string("http.webDirectory", "SWITCHBOARD_WEB_DIR", ""),
            Setting.string("dataDir", "SWITCHBOARD_DATA_DIR", "./data"),
            Setting.string("postgres.url", "SWITCHBOARD_PG_URL", ""),
            Setting.integer("postgres.poolSize", "SWITCHBOARD_PG_POOL_SIZE", 8, 1, 1000),
            Setting.integer("postgres.embeddedPort", "SWITCHBOARD_EMBEDDED_PG_PORT", 0, 0, 65535),
            Setting.string("redis.url", "SWITCHBOARD_REDIS_URL", ""),
            Setting.string("redis.keyPrefix", "SWITCHBOARD_REDIS_PREFIX", "sb:"),
            Setting.integer("redis.embeddedPort", "SWITCHBOARD_EMBEDDED_REDIS_PORT", 0, 0, 65535),
            Setting.string("auth.jwtSecret", "SWITCHBOARD_JWT_SECRET", ""),
            Setting.integer("auth.tokenTtlSeconds", "SWITCHBOARD_TOKEN_TTL_S", 12 * 3600, 60, 365L * 24 * 3600),
            Setting.string("admin.email", "SWITCHBOARD_ADMIN_EMAIL", "admin@switchboard.local"),
            Setting.string("admin.password", "SWITCHBOARD_ADMIN_PASSWORD", ""),
            Setting.integer("presence.heartbeatSeconds", "SWITCHBOARD_PRESENCE_HEARTBEAT_S", 10, 1, 3600),
            Setting.integer("presence.graceSeconds", "SWITCHBOARD_PRESENCE_GRACE_S", 30, 0, 3600),
            Setting.integer("routing.realertSeconds", "SWITCHBOARD_REALERT_S", 60, 1, 86400),
            Setting.choice("routing.onAgentGone", "SWITCHBOARD_ON_AGENT_GONE", "requeue", "requeue", "keep"),
            Setting.bool("cluster.enabled", "SWITCHBOARD_CLUSTER", false),
            Setting.string("cluster.members", "SWITCHBOARD_CLUSTER_MEMBERS", ""),
            Setting.integer("cluster.port", "SWITCHBOARD_CLUSTER_PORT", 5701, 1, 65535),
            Setting.string("cluster.host", "SWITCHBOARD_CLUSTER_HOST", "127.0.0.1"),
            Setting.integer("cluster.answerMillis", "SWITCHBOARD_CLUSTER_ANSWER_MS", 5000, 100, 600_000),
            Setting.integer("invites.ttlSeconds", "SWITCHBOARD_INVITE_TTL_S", 120, 1, 86400),
            Setting.string("uploads.directory", "SWITCHBOARD_UPLOADS_DIR", ""),
            Setting.integer("uploads.maxBytes", "SWITCHBOARD_MAX_UPLOAD_BYTES", 26214400, 1, 1L << 40),
            Setting.string("metrics.token", "SWITCHBOARD_METRICS_TOKEN", ""),
            Setting.choice("log.format", "SWITCHBOARD_LOG_FORMAT", "text", "text", "json"),
            Setting.integer("shutdown.graceMillis", "SWITCHBOARD_SHUTDOWN_GRACE_MS", 5000, 0, 600_000),
            Setting.integer("warmup.seconds", "SWITCHBOARD_WARMUP_S", 30, 0, 600));

    private ConfigLoader() {
    }

    /**
     * @param file the YAML file, or null for none
     * @param env  the environment (System.getenv() in production)
     */
    public static Config load(Path file, Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            values.put(s.path(), s.defaultValue());
        }
        if (file != null) {
            readFile(file, values, errors);
        }
        for (Setting s : SETTINGS) {
            String raw = env.get(s.env());
            if (raw != null) {
                Object v = s.parse(raw, errors, "environment " + s.env());
                if (v != null) {
                    values.put(s.path(), v);
                }
            }
        }
        if (errors.isEmpty() && (Long) values.get("presence.graceSeconds") < (Long) values.get("presence.heartbeatSeconds")) {
            errors.add("presence.graceSeconds (" + values.get("presence.graceSeconds") + ") must be at least "
                    + "presence.heartbeatSeconds (" + values.get("presence.heartbeatSeconds") + "): an agent connected to "
                    + "another node must not look gone between two heartbeats");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return toConfig(values);
    }

    private static void readFile(Path file, Map<String, Object> values, List<String> errors) {
        Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml().load(r);
        } catch (IOException e) {
            errors.add(file + ": cannot read: " + e.getMessage());
            return;
        } catch (YAMLException e) {
            errors.add(file + ": not valid YAML: " + e.getMessage());
            return;
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map<?, ?> map)) {
            errors.add(file + ": the top level must be a mapping");
            return;
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", map, flat);
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            Setting s = SETTINGS.stream().filter(x -> x.path().equals(e.getKey())).findFirst().orElse(null);
            if (s == null) {
                errors.add(file + ": unknown key '" + e.getKey() + "'");
            } else if (e.getValue() != null) {
                Object v = s.parse(e.getValue(), errors, file.toString());
                if (v != null) {
                    values.put(s.path(), v);
                }
            }
        }
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static Config toConfig(Map<String, Object> v) {
        return new Config(
                str(v, "http.host"),
                num(v, "http.port"),
                num(v, "http.maxFrameBytes"),
                num(v, "http.maxTextChars"),
                num(v, "http.pingIntervalSeconds"),
                num(v, "http.writeQueueMaxBytes"),
                num(v, "http.rateLimitPerSecond"),
                num(v, "http.rateLimitBurst"),
                Path.of(str(v, "dataDir")).toAbsolutePath().normalize(),
                blankToNull(str(v, "postgres.url")),
                num(v, "postgres.poolSize"),
                num(v, "postgres.embeddedPort"),
                blankToNull(str(v, "redis.url")),
                str(v, "redis.keyPrefix"),
                num(v, "redis.embeddedPort"),
                blankToNull(str(v, "auth.jwtSecret")),
                num(v, "auth.tokenTtlSeconds"),
                str(v, "admin.email"),
                blankToNull(str(v, "admin.password")),
                num(v, "presence.heartbeatSeconds"),
                num(v, "presence.graceSeconds"),
                num(v, "routing.realertSeconds"),
                "requeue".equals(str(v, "routing.onAgentGone")),
                num(v, "invites.ttlSeconds"),
                blankToNull(str(v, "uploads.directory")) == null ? null
                        : Path.of(str(v, "uploads.directory")).toAbsolutePath().normalize(),
                (Long) v.get("uploads.maxBytes"),
                num(v, "shutdown.graceMillis"),
                num(v, "http.verticles"),
                (Boolean) v.get("cluster.enabled"),
                blankToNull(str(v, "cluster.members")),
                num(v, "cluster.port"),
                str(v, "cluster.host"),
                num(v, "cluster.answerMillis"),
                blankToNull(str(v, "metrics.token")),
                str(v, "log.format"),
                blankToNull(str(v, "http.webDirectory")) == null ? null
                        : Path.of(str(v, "http.webDirectory")).toAbsolutePath().normalize(),
                num(v, "warmup.seconds"));
    }

    private static String str(Map<String, Object> v, String key) {
        return (String) v.get(key);
    }

    private static int num(Map<String, Object> v, String key) {
        return Math.toIntExact((Long) v.get(key));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
