package io.switchboard.config;

import java.nio.file.Path;

/**
 * The typed configuration, loaded once at start-up by {@link ConfigLoader}. Each field's
 * default, unit and meaning are documented in {@code conf/switchboard.yaml}.
 *
 * @param pgUrl    {@code postgresql://user:password@host:port/database}; null starts the embedded Postgres
 * @param redisUrl {@code redis://host:port}; null starts the embedded Redis
 * @param uploadsDir where attachments are stored; null: {@code dataDir/attachments}
 * @param webDir     where the widget and console files are served from; null: from the jar (a directory is
 *                   for working on them: served uncached, an edit shows on reload)
 */
public record Config(
        String httpHost,
        int httpPort,
        int maxFrameBytes,
        int maxTextChars,
        int pingIntervalSeconds,
        int writeQueueMaxBytes,
        int rateLimitPerSecond,
        int rateLimitBurst,
        Path dataDir,
        String pgUrl,
        int pgPoolSize,
        int embeddedPgPort,
        String redisUrl,
        String redisKeyPrefix,
        int embeddedRedisPort,
        String jwtSecret,
        int tokenTtlSeconds,
        String adminEmail,
        String adminPassword,
        int presenceHeartbeatSeconds,
        int presenceGraceSeconds,
        int realertSeconds,
        boolean requeueWhenAgentGone,
        int inviteTtlSeconds,
        Path uploadsDir,
        long maxUploadBytes,
        int shutdownGraceMillis,
        int verticles,
        boolean cluster,
        String clusterMembers,
        int clusterPort,
        String clusterHost,
        int clusterAnswerMillis,
        String metricsToken,
        String logFormat,
        Path webDir,
        int warmupSeconds) {

    public boolean embeddedPostgres() {
        return pgUrl == null;
    }

    public boolean embeddedRedis() {
        return redisUrl == null;
    }

    /** Where attachments are stored. */
    public Path attachmentsDir() {
        return uploadsDir != null ? uploadsDir : dataDir.resolve("attachments");
    }

    public Config withHttpPort(int port) {
        return copy(port, pgUrl, redisUrl);
    }

    /** The same configuration against given external servers (the embedded ones, once started). */
    public Config withServers(String pg, String redis) {
        return copy(httpPort, pg, redis);
    }

    private Config copy(int port, String pg, String redis) {
        return new Config(httpHost, port, maxFrameBytes, maxTextChars, pingIntervalSeconds, writeQueueMaxBytes,
                rateLimitPerSecond, rateLimitBurst, dataDir, pg, pgPoolSize, embeddedPgPort, redis, redisKeyPrefix,
                embeddedRedisPort, jwtSecret, tokenTtlSeconds, adminEmail, adminPassword, presenceHeartbeatSeconds,
                presenceGraceSeconds, realertSeconds, requeueWhenAgentGone, inviteTtlSeconds, uploadsDir, maxUploadBytes,
                shutdownGraceMillis, verticles, cluster, clusterMembers, clusterPort, clusterHost, clusterAnswerMillis, metricsToken, logFormat, webDir,
                warmupSeconds);
    }
}
