package io.switchboard.boot;

import io.switchboard.config.Config;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command line: {@code java -jar switchboard.jar [--config PATH] [--help] [--version]}. */
public final class Main {
    private static final Path DEFAULT_CONFIG = Path.of("conf", "switchboard.yaml");

    private Main() {
    }

    public static void main(String[] args) {
        Path configFile = Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    System.out.println(help());
                    return;
                }
                case "--version" -> {
                    System.out.println("switchboard " + version());
                    return;
                }
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        fail("--config needs a file path");
                    }
                    configFile = Path.of(args[++i]);
                    if (!Files.isRegularFile(configFile)) {
                        fail("no such configuration file: " + configFile);
                    }
                }
                default -> fail("unknown option " + args[i] + " (see --help)");
            }
        }
        Config config;
        try {
            config = ConfigLoader.load(configFile, System.getenv());
        } catch (ConfigException e) {
            fail(e.getMessage());
            return;
        }
        Switchboard node = Switchboard.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "switchboard-shutdown"));
        System.out.println(Banner.of(node));
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
                Every key, its variable and its default are documented in conf/switchboard.yaml.""";
    }

    private static void fail(String message) {
        System.err.println("switchboard: " + message);
        System.exit(2);
    }
}
