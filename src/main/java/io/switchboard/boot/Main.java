package io.switchboard.boot;

import io.switchboard.config.Config;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Command line: {@code java -jar switchboard.jar [--config PATH] [--help] [--version]}. */
public final class Main {
    private static final Path DEFAULT_CONFIG = Path.of("conf", "switchboard.yaml");
    /** Exit code of a refused start: bad options or configuration. */
    static final int BAD_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        Outcome outcome = prepare(args, System.getenv(), System.out, System.err);
        if (outcome.exitCode() != null) {
            System.exit(outcome.exitCode());
        }
        Logging.configure(outcome.config().logFormat());
        Switchboard node = Switchboard.start(outcome.config());
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "switchboard-shutdown"));
        System.out.println(Banner.of(node));
        node.warmUp();
    }

    /** Either a configuration to start with, or an exit code (help, version, refusal) with everything printed. */
    record Outcome(Config config, Integer exitCode) {
    }

    /** Reads the options and the configuration; prints help, the version, or every problem at once. */
    static Outcome prepare(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path configFile = Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(help());
                    return new Outcome(null, 0);
                }
                case "--version" -> {
                    out.println("switchboard " + version());
                    return new Outcome(null, 0);
                }
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        err.println("switchboard: --config needs a file path");
                        return new Outcome(null, BAD_USAGE);
                    }
                    configFile = Path.of(args[++i]);
                    if (!Files.isRegularFile(configFile)) {
                        err.println("switchboard: no such configuration file: " + configFile);
                        return new Outcome(null, BAD_USAGE);
                    }
                }
                default -> {
                    err.println("switchboard: unknown option " + args[i] + " (see --help)");
                    return new Outcome(null, BAD_USAGE);
                }
            }
        }
        try {
            return new Outcome(ConfigLoader.load(configFile, env), null);
        } catch (ConfigException e) {
            err.println("switchboard: " + e.getMessage());
            return new Outcome(null, BAD_USAGE);
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String help() {
        return """
                Switchboard: a real-time live-chat server.

                Usage: java -jar target/switchboard.jar [--config PATH] [--help] [--version]

                  --config PATH   read the configuration from PATH (default: conf/switchboard.yaml when present)
                  --help          print this help
                  --version       print the version

                With no configuration it starts an embedded PostgreSQL (data under ./data) and Redis.
                Environment variables override the file; the main ones:
                  SWITCHBOARD_HTTP_PORT        HTTP and WebSocket port (default 8080; 0 picks one)
                  SWITCHBOARD_DATA_DIR         data directory (default ./data)
                  SWITCHBOARD_PG_URL           postgresql://user:password@host:port/database (unset: embedded)
                  SWITCHBOARD_REDIS_URL        redis://host:port (unset: embedded)
                  SWITCHBOARD_ADMIN_EMAIL      e-mail of the admin seeded into an empty database
                  SWITCHBOARD_ADMIN_PASSWORD   its password (unset: generated and printed once)
                  SWITCHBOARD_CLUSTER          true: join a cluster of nodes (see SWITCHBOARD_CLUSTER_MEMBERS)
                  SWITCHBOARD_LOG_FORMAT       text or json
                Every key, its variable, default and unit are documented in conf/switchboard.yaml.""";
    }
}
