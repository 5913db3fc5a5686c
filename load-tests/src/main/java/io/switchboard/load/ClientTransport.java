package io.switchboard.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.transports.EpollTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.net.ClientOptionsBase;

/**
 * The generator's Vert.x: the native epoll transport with {@code IP_BIND_ADDRESS_NO_PORT} on every
 * client socket. A client bound to a source address (127.0.0.2, ...) otherwise has the kernel pick
 * its port at {@code bind()}, which searches the whole ephemeral range for a port free for every
 * destination: with a few thousand sockets open that search costs milliseconds of kernel time per
 * connect and the connect rate collapses (measured: p50 2.6 s at 1,000/s past ~7,000 sockets, against
 * 80 ms without a source address). With the option the port is chosen at {@code connect()} from
 * the 4-tuple, as for an unbound socket. Falls back to NIO (with a warning) where epoll is missing.
 */
final class ClientTransport {
    private ClientTransport() {
    }

    static final class NoPortEpoll extends EpollTransport {
        @Override
        public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
            super.configure(options, connectTimeout, domainSocket, bootstrap);
            if (!domainSocket) {
                bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
        }
    }

    static Vertx vertx(VertxOptions options) {
        if (!Boolean.getBoolean("load.nio") && Epoll.isAvailable()) {
            return Vertx.builder().with(options).withTransport(new TransportInternal("epoll", true, null, new NoPortEpoll())).build();
        }
        System.err.println("generator: native epoll unavailable (" + Epoll.unavailabilityCause() + "), using NIO: connects from a"
                + " source address get slow past a few thousand sockets");
        return Vertx.vertx(options);
    }
}
