package io.switchboard.boot;

/** What a person starting the server needs to know: where it listens, how to log in, the widget key. */
final class Banner {
    private Banner() {
    }

    static String of(Switchboard node) {
        String base = "http://localhost:" + node.port();
        Seeder.Seed seed = node.seed();
        StringBuilder b = new StringBuilder()
                .append("\nSwitchboard is running.\n")
                .append("  Demo page:        ").append(base).append("/   (the chat widget)\n")
                .append("  Agent console:    ").append(base).append("/console\n")
                .append("  HTTP API:         ").append(base).append("/api\n")
                .append("  Customer socket:  ws://localhost:").append(node.port()).append("/ws/customer?widget=KEY\n")
                .append("  Agent socket:     ws://localhost:").append(node.port()).append("/ws/agent?token=JWT\n")
                .append("  Health:           ").append(base).append("/health/ready\n");
        if (node.runsEmbeddedPostgres()) {
            b.append("  Postgres:         ").append(node.config().pgUrl()).append("   (embedded)\n");
        }
        if (node.runsEmbeddedRedis()) {
            b.append("  Redis:            ").append(node.config().redisUrl()).append("   (embedded)\n");
        }
        if (seed.created()) {
            b.append("  Admin login:      ").append(seed.adminEmail()).append(" / ")
                    .append(seed.generatedPassword() != null ? seed.generatedPassword() + "   (generated: note it now)"
                            : "(the password you set in SWITCHBOARD_ADMIN_PASSWORD)")
                    .append('\n');
        } else {
            b.append("  Admin login:      as created on first start\n");
        }
        if (seed.widgetKey() != null) {
            b.append("  Widget key:       ").append(seed.widgetKey()).append('\n');
        }
        if (node.config().warmupSeconds() > 0) {
            b.append("It warms up now, for up to ").append(node.config().warmupSeconds())
                    .append(" s (SWITCHBOARD_WARMUP_S): it works meanwhile, at a fraction of its speed, and\n")
                    .append("/health/ready says 503 until it logs \"ready\".\n");
        }
        return b.toString();
    }
}
