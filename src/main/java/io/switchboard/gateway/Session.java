package io.switchboard.gateway;

import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Failure;
import io.switchboard.metrics.Metrics;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.protocol.Decoded;
import io.switchboard.protocol.FrameDecoder;
import io.switchboard.protocol.Frames;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One client socket: decodes frames, hands commands to {@link #handle}, and writes exactly one
 * reply per frame that carries a {@code ref} (and an error reply for a failed frame without one).
 * Events delivered before {@code hello} went out wait, so that {@code hello} is always first.
 *
 * <p>Created and registered on its verticle's event loop, which is also its socket's; {@link #send}
 * may be called from any thread, and every write is made on that event loop. Vert.x queues a write
 * from another thread and reports the queue full after 16 of them, however few bytes they hold:
 * under load (an ack completed on a Redis connection's thread, say) that made healthy sockets look
 * like slow consumers. Written from their own loop, {@code writeQueueFull} means what it says: the
 * client has not read {@code http.writeQueueMaxBytes}.
 */
abstract class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final String id;
    final ServerWebSocket ws;
    private final Context owner;
    private final Thread ownerThread;
    /** Frames sent from other threads and not yet written on the loop (guarded by this). */
    private int hopping;
    private final FrameDecoder decoder;
    private final Metrics metrics;
    private final RateLimit rateLimit;
    private final int maxFrameBytes;
    private volatile boolean closed;
    /** Events go out at once: hello is out, and no resync's read holds them. */
    private volatile boolean ready;
    private boolean greeted;
    /** A resync's read is in flight: events wait, so that none overtakes the state it reads. */
    private boolean holding;
    /** Where in {@link #early} the events that came after the hold began start. */
    private int heldFrom;
    /** A hold was refused while one was on: the state must be read once more. */
    private boolean readAgain;
    private List<Buffer> early = new ArrayList<>();
    /** Last time the client showed it is alive (any frame or pong); read by the verticle's ping timer. */
    volatile long lastSeen = System.currentTimeMillis();
    /** Hub bookkeeping: the delivery this session last got, so that overlapping topics send once. */
    long deliveryStamp;

    /**
     * @param maxFrameBytes the largest frame either side may send (PROTOCOL.md; {@code http.maxFrameBytes}):
     *                      a longer event goes out as a message of several frames
     */
    Session(String id, ServerWebSocket ws, FrameDecoder decoder, Metrics metrics, RateLimit rateLimit, int maxFrameBytes) {
        this.id = id;
        this.maxFrameBytes = maxFrameBytes;
        this.ws = ws;
        this.decoder = decoder;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.owner = Vertx.currentContext();
        this.ownerThread = Thread.currentThread();
    }

    /** Wires the socket's handlers; frames are held until {@link #ready} is called. */
    void attach(Runnable onClose) {
        ws.pause();
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> {
            if (closed) {
                return; // as onText: a closing socket's frames are dropped
            }
            metrics.rejectedFrame("binary");
            replyError(null, ErrorCode.BAD_REQUEST, "binary frames are not accepted");
        });
        ws.pongHandler(b -> lastSeen = System.currentTimeMillis());
        ws.exceptionHandler(this::onException);
        ws.closeHandler(v -> {
            closed = true;
            onClose.run();
        });
    }

    /** Sends {@code hello} first, then anything that arrived meanwhile, then starts reading frames. */
    final void ready(Buffer hello) {
        if (Thread.currentThread() != ownerThread) {
            owner.runOnContext(v -> ready(hello));
            return;
        }
        synchronized (this) {
            sendNow(hello);
            greeted = true;
            if (holding) { // what came before the hold goes now, the rest after the resync
                List<Buffer> before = early.subList(0, heldFrom);
                before.forEach(this::sendNow);
                before.clear();
                heldFrom = 0;
            } else {
                flushEarly();
            }
        }
        ws.resume();
    }

    private void flushEarly() {
        early.forEach(this::sendNow);
        early = null;
        ready = true;
    }

    /**
     * Holds the events from now until {@link #release}: a resync's read of this socket's state is
     * about to go out, and an event that comes meanwhile must reach the client after the state, as
     * with hello. False if a resync already holds them. On the socket's event loop.
     */
    final synchronized boolean hold() {
        if (holding) {
            readAgain = true; // another node lost during the read: the state read may lack what it stored
            return false;
        }
        holding = true;
        ready = false;
        if (early == null) {
            early = new ArrayList<>();
        }
        heldFrom = early.size();
        return true;
    }

    /**
     * Sends {@code resync}, then the events held since {@link #hold}. On the socket's event loop.
     * Whether a hold was refused meanwhile (another node was lost during the read): read again.
     */
    final synchronized boolean release(Buffer resync) {
        holding = false;
        boolean again = readAgain;
        readAgain = false;
        if (resync != null) {
            early.add(heldFrom, resync);
        }
        if (greeted) {
            flushEarly();
        }
        return again;
    }

    /** Sends an event; a socket whose write queue is full is a slow consumer and is closed. */
    final void send(Buffer frame) {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    if (early != null) {
                        early.add(frame);
                    }
                    return;
                }
            }
        }
        sendNow(frame);
    }

    /**
     * Writes a frame on the socket's event loop, in the order the frames were sent. A frame sent from
     * another thread goes over to the loop as a task; while any such task is on its way, a frame sent
     * on the loop itself follows it there instead of being written at once, or it would overtake it:
     * a conversation's lane finishes one message on the other side's loop (its ack hops over) and the
     * next on this one (BatchedWritesIT saw an agent's fifth ack before its second).
     */
    private void sendNow(Buffer frame) {
        if (closed) {
            return;
        }
        boolean onLoop = Thread.currentThread() == ownerThread;
        synchronized (this) {
            if (!onLoop || hopping > 0) {
                hopping++;
                owner.runOnContext(v -> {
                    synchronized (this) {
                        hopping--;
                    }
                    write(frame);
                });
                return;
            }
        }
        write(frame);
    }

    /** On the socket's event loop. */
    private void write(Buffer frame) {
        if (closed) {
            return;
        }
        boolean full;
        try {
            full = ws.writeQueueFull();
        } catch (IllegalStateException closedMeanwhile) {
            return;
        }
        if (full) {
            LOG.info("closing slow consumer {}", id);
            close(CloseCodes.TRY_AGAIN_LATER, "too slow: reconnect and resume");
            return;
        }
        WireFrame.write(ws, frame, maxFrameBytes);
    }

    /**
     * Vert.x drops the connection on an oversized frame without a close frame, and only reports an
     * oversized message; both are answered here with 1009 as the protocol promises.
     */
    private void onException(Throwable t) {
        if (t instanceof CorruptedWebSocketFrameException
                || t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("max message size")) {
            metrics.rejectedFrame("too_large");
            close(CloseCodes.TOO_BIG, "frame too large");
        } else {
            LOG.debug("socket {} failed: {}", id, t.toString());
        }
    }

    /** Closes the socket (on its event loop: the HTTP server runs in strict thread mode, see RequestLoop). */
    final void close(short code, String reason) {
        if (Thread.currentThread() != ownerThread) {
            owner.runOnContext(v -> close(code, reason));
            return;
        }
        if (!closed) {
            closed = true;
            ws.close(code, reason);
            // A paused socket (the node is stopping, or hello is not out yet) is not read, so the
            // client's close reply would wait behind its unread frames until Vert.x' closing timeout
            // (10 s) ended the connection. Read on: onText drops those frames.
            ws.resume();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether any event was ever delivered to this socket (event loop only): the hub stamps each one. */
    final boolean hadEvents() {
        return deliveryStamp != 0;
    }

    /** Whether hello has gone out. */
    final synchronized boolean isGreeted() {
        return greeted;
    }

    /** The agent behind this socket, or null for a customer. */
    abstract String agentId();

    /** Handles one decoded command; the result is the ack's {@code result} (null: no reply). */
    abstract Future<JsonObject> handle(Decoded frame);

    private void onText(String text) {
        if (closed) {
            return; // a closing socket takes no more commands: none could be acked, and the client resends
        }
        lastSeen = System.currentTimeMillis();
        long arrived = System.nanoTime();
        Decoded d;
        try {
            d = decoder.decode(text);
        } catch (FrameDecoder.BadFrame e) {
            metrics.rejectedFrame("malformed");
            replyError(e.ref(), ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        }
        switch (rateLimit.take(System.currentTimeMillis())) {
            case ACCEPT -> { }
            case REFUSE -> {
                metrics.rejectedFrame("rate_limited");
                replyError(d.ref(), ErrorCode.RATE_LIMITED, "too many frames; slow down");
                return;
            }
            case CLOSE -> {
                metrics.rejectedFrame("rate_limited");
                LOG.info("closing abusive socket {} ({})", id, describe());
                close(CloseCodes.POLICY, "too many frames for too long");
                return;
            }
        }
        Future<JsonObject> result;
        try {
            result = handle(d);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                if (d.ref() != null) {
                    sendNow(Frames.ack(d.ref(), ar.result() == null ? new JsonObject() : ar.result()));
                }
                if (d.frame() instanceof ClientFrame.CustomerMessage || d.frame() instanceof ClientFrame.AgentMessage) {
                    metrics.ackLatency(System.nanoTime() - arrived);
                }
            } else if (ar.cause() instanceof Failure f) {
                replyError(d.ref(), f.code(), f.getMessage());
            } else {
                LOG.error("{} failed on socket {} ({}): {}", d.type(), id, describe(), ar.cause().toString(), ar.cause());
                replyError(d.ref(), ErrorCode.INTERNAL, "internal error");
            }
        });
    }

    private void replyError(String ref, ErrorCode code, String message) {
        metrics.error(code.wire());
        sendNow(Frames.error(ref, code, message));
    }

    /** Ids for logs: who is behind this socket (never tokens or message text). */
    abstract String describe();
}
