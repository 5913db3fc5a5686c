package io.switchboard.gateway;

import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.metrics.Metrics;
import io.vertx.core.Future;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets of one verticle, by topic. Deliveries from the event bus are written here to every
 * local socket of their topics, once per socket even when its topics overlap.
 *
 * <p>Confined to its verticle's event loop: no locks.
 */
final class Hub {
    /**
     * Written on the verticle's event loop only; concurrent so that Fanout may read its keys from any
     * thread and hand this hub only the deliveries of topics with a socket here.
     */
    private final Map<String, Set<Session>> byTopic = new ConcurrentHashMap<>();
    private final Map<Session, List<String>> topicsOf = new HashMap<>();
    private final Metrics metrics;
    private final Fanout fanout;
    private long stamp;

    Hub(Metrics metrics, Fanout fanout) {
        this.metrics = metrics;
        this.fanout = fanout;
    }

    /**
     * The session gets the deliveries of {@code topics} from now on. Completes once every node of a
     * cluster knows it is here: read what it missed after that, and nothing falls in between.
     */
    Future<Void> add(Session s, List<String> topics) {
        addLocally(s, topics);
        return fanout.hold(topics);
    }

    void remove(Session s) {
        List<String> topics = removeLocally(s);
        if (topics != null) {
            fanout.release(topics);
        }
    }

    private List<String> removeLocally(Session s) {
        List<String> topics = topicsOf.remove(s);
        if (topics == null) {
            return null;
        }
        for (String t : topics) {
            Set<Session> set = byTopic.get(t);
            if (set != null && set.remove(s) && set.isEmpty()) {
                byTopic.remove(t);
            }
        }
        return topics;
    }

    /** New topics are held before the old are released, so topics kept throughout never leave other nodes' view. */
    void resubscribe(Session s, List<String> topics) {
        if (topicsOf.containsKey(s)) {
            fanout.hold(topics);
            List<String> before = removeLocally(s);
            addLocally(s, topics);
            fanout.release(before);
        }
    }

    private void addLocally(Session s, List<String> topics) {
        topicsOf.put(s, topics);
        for (String t : topics) {
            byTopic.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(s);
        }
    }

    /** The topics with a socket here (a live, thread-safe view). */
    Set<String> topics() {
        return Collections.unmodifiableSet(byTopic.keySet());
    }

    Set<Session> in(String topic) {
        return byTopic.getOrDefault(topic, Set.of());
    }

    Set<Session> all() {
        return topicsOf.keySet();
    }

    void deliver(Delivery d) {
        long now = ++stamp;
        Delivery.Meter meter = d.meter();
        for (String topic : d.topics()) {
            Set<Session> set = byTopic.get(topic);
            if (set == null) {
                continue;
            }
            for (Session s : set) {
                if (s.deliveryStamp == now) {
                    continue;
                }
                s.deliveryStamp = now;
                if (s.id.equals(d.exceptSession())) {
                    continue;
                }
                s.send(d.frame());
                if (meter != null) {
                    metrics.messageDelivered(meter);
                }
            }
        }
    }
}
