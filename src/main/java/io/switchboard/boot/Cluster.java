package io.switchboard.boot;

import com.hazelcast.config.JoinConfig;
import io.switchboard.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.switchboard.bus.Members;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.util.Arrays;

/**
 * Joins a Vert.x cluster (Hazelcast) of Switchboard nodes sharing one Postgres and one Redis.
 * Members find each other over TCP/IP at the configured addresses (no multicast); the event bus
 * carries deliveries and control messages between them.
 */
final class Cluster {
    private Cluster() {
    }

    static Future<Joined> join(Config config, VertxOptions options, io.vertx.core.spi.VertxMetricsFactory metrics) {
        com.hazelcast.config.Config hz = ConfigUtil.loadConfig();
        hz.setClusterName("switchboard");
        hz.setProperty("hazelcast.logging.type", "slf4j");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        var network = hz.getNetworkConfig();
        network.setPort(config.clusterPort()).setPortAutoIncrement(false);
        network.setPublicAddress(config.clusterHost() + ":" + config.clusterPort());
        network.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        if (config.clusterMembers() != null) {
            Arrays.stream(config.clusterMembers().split(",")).map(String::trim).filter(m -> !m.isEmpty())
                    .forEach(join.getTcpIpConfig()::addMember);
        }
        options.setEventBusOptions(new EventBusOptions().setHost(config.clusterHost()).setPort(0));
        Membership members = new Membership(hz);
        return Vertx.builder().with(options).withMetrics(metrics).withClusterManager(members).buildClustered()
                .map(vertx -> new Joined(vertx, members));
    }

    /** A clustered Vert.x and who the members of its cluster are. */
    record Joined(Vertx vertx, Members members) {
    }
}
