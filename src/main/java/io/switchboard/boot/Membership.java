package io.switchboard.boot;

import io.switchboard.bus.Members;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Vert.x' Hazelcast cluster manager, which also tells Switchboard ({@link Members}) who joins and
 * leaves. The manager takes one node listener, which Vert.x sets only with HA on (its HA manager's):
 * that one is called beside ours rather than in their place.
 */
final class Membership extends HazelcastClusterManager implements Members {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

    Membership(com.hazelcast.config.Config config) {
        super(config);
        super.nodeListener(new NodeListener() {
            @Override
            public void nodeAdded(String nodeId) {
                LOG.info("cluster member joined: {} ({} members)", nodeId, getNodes().size());
                listeners.forEach(l -> l.nodeAdded(nodeId));
            }

            @Override
            public void nodeLeft(String nodeId) {
                LOG.info("cluster member left: {} ({} members)", nodeId, getNodes().size());
                listeners.forEach(l -> l.nodeLeft(nodeId));
            }
        });
    }

    @Override
    public void nodeListener(NodeListener vertxOwn) {
        listeners.add(vertxOwn);
    }

    @Override
    public String self() {
        return getNodeId();
    }

    @Override
    public List<String> all() {
        return getNodes();
    }

    @Override
    public void listen(NodeListener listener) {
        listeners.add(listener);
    }
}
