package io.switchboard.load;

import io.switchboard.load.baselines.RelayServer;

import java.util.Arrays;

/**
 * Entry point of the harness jar. {@code run} (the orchestrator: sets up, spawns generator processes,
 * merges, writes the summary and report), {@code worker} (one generator process, driven by the
 * orchestrator over stdin/stdout), {@code relay} (the raw Vert.x relay baseline), {@code report}
 * (re-render an HTML report from a summary JSON), {@code seed-history} (earlier messages in the
 * server's database before a run).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: Main run|worker|relay|report|connbench|seed-history ...");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "run" -> System.exit(Orchestrator.main(rest));
            case "worker" -> Worker.main(rest);
            case "relay" -> RelayServer.main(rest);
            case "report" -> Report.main(rest);
            case "connbench" -> ConnBench.main(rest);
            case "seed-history" -> HistorySeed.main(rest);
            default -> {
                System.err.println("unknown command " + argv[0]);
                System.exit(2);
            }
        }
    }
}
