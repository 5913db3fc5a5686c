package io.switchboard.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Publishes deliveries on the event bus, where every socket-owning verticle (on every node of a
 * cluster) hands them to its own sockets. One bus message per event, whatever the number of
 * recipients; the frame bytes travel once.
 *
 * <p>Thread-safe. Events published from one thread arrive at each consumer in publication order.
 */
public final class Fanout {
    static final String ADDRESS = "sb.fanout";
    private static final String TOPICS = "t";
    private static final String EXCEPT_SESSION = "xs";
    private static final String METER = "m";

    private final Vertx vertx;

    public Fanout(Vertx vertx) {
        this.vertx = vertx;
    }

    public void publish(Delivery d) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(TOPICS, String.join(",", d.topics()));
        if (d.exceptSession() != null) {
            headers.add(EXCEPT_SESSION, d.exceptSession());
        }
        if (d.meter() != null) {
            headers.add(METER, d.meter());
        }
        vertx.eventBus().publish(ADDRESS, d.frame(), new DeliveryOptions().setHeaders(headers));
    }

    /** Registers a receiver on the calling context; deliveries are handed to it on that context. */
    public MessageConsumer<Buffer> subscribe(Consumer<Delivery> receiver) {
        return vertx.eventBus().<Buffer>consumer(ADDRESS, (Message<Buffer> m) -> {
            MultiMap h = m.headers();
            List<String> topics = Arrays.asList(h.get(TOPICS).split(","));
            receiver.accept(new Delivery(topics, m.body(), h.get(EXCEPT_SESSION), h.get(METER)));
        });
    }
}
