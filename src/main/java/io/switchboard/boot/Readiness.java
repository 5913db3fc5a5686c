package io.switchboard.boot;

/**
 * Whether the node is ready for traffic beyond its dependencies answering: not while it warms up.
 * A node listens during its warm-up (the warm-up's own sockets come in through its port), so a load
 * balancer must be told by {@code /health/ready} to wait.
 */
public final class Readiness {
    private volatile boolean warming;

    /** @param warming whether the node will warm up: ready is then withheld from the first request on */
    Readiness(boolean warming) {
        this.warming = warming;
    }

    public boolean warming() {
        return warming;
    }

    void warmedUp() {
        warming = false;
    }
}
