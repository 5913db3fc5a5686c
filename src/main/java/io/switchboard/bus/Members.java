package io.switchboard.bus;

import io.vertx.core.spi.cluster.NodeListener;

import java.util.List;

/** The members of the cluster, as its manager knows them, by the manager's node ids. */
public interface Members {
    /** This node's id. */
    String self();

    /** Every member, this node included. */
    List<String> all();

    /** {@code listener} hears from now on of members that join and leave (on any thread). */
    void listen(NodeListener listener);
}
