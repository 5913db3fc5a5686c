package io.switchboard.service;

import io.switchboard.domain.Attachment;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Permissions;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Visitor;
import io.switchboard.store.pg.AttachmentStore;
import io.switchboard.store.pg.Ids;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;

/**
 * Uploaded files: stored under a directory (streamed to disk, never blocking an event loop), their
 * metadata in Postgres, their content type detected from the bytes. Until sent in a message only
 * the uploader may read one; afterwards whoever may see that conversation. Thread-safe; each upload
 * runs on the context that calls {@link #upload}.
 */
public final class AttachmentService {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentService.class);
    static final int MAX_NAME_CHARS = 200;
    static final String DEFAULT_NAME = "file";

    /** Who uploads or reads a file: an agent (by its principal) or a visitor. */
    public sealed interface Requester {
        String workspaceId();

        /** The agent id or the visitor id. */
        String id();

        /** The uploader type stored with a file: {@code agent} or {@code customer}. */
        String type();

        record OfAgent(Principal principal) implements Requester {
            public String workspaceId() {
                return principal.workspaceId();
            }

            public String id() {
                return principal.agentId();
            }

            public String type() {
                return "agent";
            }
        }

        record OfVisitor(Visitor visitor) implements Requester {
            public String workspaceId() {
                return visitor.workspaceId();
            }

            public String id() {
                return visitor.id();
            }

            public String type() {
                return "customer";
            }
        }
    }

    /** Hours an upload may wait to be sent in a message before it is removed. */
    static final int UNSENT_KEPT_HOURS = 24;
    private final Vertx vertx;
    private final AttachmentStore store;
    private final Path directory;
    private final long maxBytes;

    public AttachmentService(Vertx vertx, Pool pool, Path directory, long maxBytes) {
        this.vertx = vertx;
        this.store = new AttachmentStore(pool);
        // Absolute: Vert.x resolves relative names against the class path too.
        this.directory = directory.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    /** The most bytes one file may have. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Streams a file to disk and records it, unsent. {@code content} must be paused; this resumes it
     * and reads it to its end. A file over {@link #maxBytes()} fails with {@code too_large}; on any
     * failure nothing is kept (the partial file is deleted before the future fails) and the rest of
     * {@code content} is read and discarded.
     *
     * @param filename as the client named it; sanitised by {@link #safeName}
     */
    public Future<Attachment> upload(Requester who, String filename, ReadStream<Buffer> content) {
        UUID id = Ids.newId();
        String relative = id.toString().substring(0, 2) + "/" + id;
        Path file = directory.resolve(relative);
        FileSystem fs = vertx.fileSystem();
        Intake intake = new Intake(content, maxBytes); // listens for a broken request from now on
        return fs.mkdirs(file.getParent().toString())
                .compose(v -> fs.open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                .onFailure(intake::fail)
                .compose(out -> intake.into(out)
                        .recover(t -> out.close().transform(x -> delete(file)).transform(x -> Future.failedFuture(t))))
                .compose(received -> {
                    Attachment a = new Attachment(id.toString(), who.workspaceId(), who.type(), who.id(), null,
                            safeName(filename), Sniff.contentType(received.head(), received.size() <= received.head().length),
                            received.size(), relative);
                    return store.insert(a)
                            .recover(t -> delete(file).transform(x -> Future.failedFuture(t)))
                            .map(v -> a);
                });
    }

    /**
     * The attachment, if this requester may read it: before it is sent only its uploader; after,
     * an agent who may see the conversation or that conversation's visitor. Everyone else, and
     * unknown or malformed ids, get {@code not_found}: the existence of a file is not revealed.
     *
     * @param conversations the state of a conversation by id
     */
    public Future<Attachment> readable(Requester who, String attachmentId,
                                       Function<String, Future<ConversationState>> conversations) {
        return store.byId(attachmentId).compose(found -> {
            Attachment a = found.filter(x -> x.workspaceId().equals(who.workspaceId())).orElse(null);
            if (a == null) {
                return Future.failedFuture(Failure.notFound("no such attachment"));
            }
            if (a.conversationId() == null) {
                return who.type().equals(a.uploaderType()) && who.id().equals(a.uploaderId())
                        ? Future.succeededFuture(a)
                        : Future.failedFuture(Failure.notFound("no such attachment"));
            }
            return conversations.apply(a.conversationId())
                    .recover(t -> Future.failedFuture(t instanceof Failure ? Failure.notFound("no such attachment") : t))
                    .map(c -> {
                        if (!maySee(who, c)) {
                            throw Failure.notFound("no such attachment");
                        }
                        return a;
                    });
        });
    }

    /** Opens the bytes of a readable attachment for streaming (read only); the caller closes the file. */
    public Future<AsyncFile> open(Attachment a) {
        Path file = directory.resolve(a.path()).normalize();
        if (!file.startsWith(directory)) {
            return Future.failedFuture(new IllegalStateException("attachment " + a.id() + " points outside its directory"));
        }
        return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false));
    }

    /**
     * Binds an attachment to the conversation a message sends it in. It must be the sender's own
     * upload in this workspace, not yet sent elsewhere (sent again in the same conversation is fine);
     * {@code not_found} otherwise, so that nobody can send someone else's file.
     *
     * @param uploaderId the visitor id or agent id of the sender
     */
    /** Removes uploads nobody sent within a day (rows, then files); run now and then on every node. */
    public Future<Integer> sweepUnsent() {
        return store.deleteUnsentOlderThan(UNSENT_KEPT_HOURS).compose(paths -> {
            java.util.List<Future<Void>> deletions = new java.util.ArrayList<>();
            for (String p : paths) {
                Path file = directory.resolve(p).normalize();
                if (file.startsWith(directory)) {
                    deletions.add(vertx.fileSystem().delete(file.toString()).otherwiseEmpty());
                }
            }
            return Future.join(deletions).map(paths.size());
        });
    }

    /**
     * Fails with {@code not_found}, as {@link #claim} would, unless the file is the uploader's own of this
     * workspace: checked before a conversation is opened for it, so that someone else's file opens nothing.
     */
    public Future<Void> checkOwn(String workspaceId, String uploaderId, String attachmentId) {
        return store.byId(attachmentId).map(a -> {
            if (a.isEmpty() || !a.get().workspaceId().equals(workspaceId) || !a.get().uploaderId().equals(uploaderId)) {
                throw Failure.notFound("no such attachment");
            }
            return null;
        });
    }

    public Future<Attachment> claim(String workspaceId, String uploaderId, String attachmentId, String conversationId) {
        return store.claim(workspaceId, uploaderId, attachmentId, conversationId)
                .map(a -> a.orElseThrow(() -> Failure.notFound("no such attachment")));
    }

    static boolean maySee(Requester who, ConversationState c) {
        if (who instanceof Requester.OfAgent agent) {
            return Permissions.canSee(agent.principal(), c);
        }
        return c.workspaceId().equals(who.workspaceId()) && c.visitorId().equals(who.id());
    }

    /**
     * A file name safe to store and show: no directories (a client may send {@code ../../x} or
     * {@code C:\x}), no control or invisible formatting characters (which can disguise an
     * extension), at most {@value #MAX_NAME_CHARS} characters; {@value #DEFAULT_NAME} when nothing is left.
     */
    static String safeName(String raw) {
        if (raw == null) {
            return DEFAULT_NAME;
        }
        String base = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
        StringBuilder b = new StringBuilder();
        base.codePoints()
                .filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
                        && Character.getType(cp) != Character.LINE_SEPARATOR
                        && Character.getType(cp) != Character.PARAGRAPH_SEPARATOR)
                .limit(MAX_NAME_CHARS)
                .forEach(b::appendCodePoint);
        String name = b.toString().strip();
        return name.isEmpty() || name.equals(".") || name.equals("..") ? DEFAULT_NAME : name;
    }

    private Future<Void> delete(Path file) {
        return vertx.fileSystem().delete(file.toString())
                .onFailure(t -> LOG.warn("could not delete the partial upload {}: {}", file, t.toString()))
                .otherwiseEmpty();
    }

    /** Reads the rest of a stream and drops it (so that the request it belongs to can finish). */
    private static void discard(ReadStream<Buffer> content) {
        content.exceptionHandler(t -> { });
        content.endHandler(null);
        content.handler(b -> { });
        content.resume();
    }

    /** What an intake received: the size and the first bytes, for sniffing. */
    private record Received(long size, byte[] head) {
    }

    /**
     * One file streamed to disk with back-pressure, counting bytes and keeping the first
     * {@link Sniff#HEAD_BYTES} of them. Confined to the caller's context.
     */
    private static final class Intake {
        private final ReadStream<Buffer> in;
        private final long max;
        private final Buffer head = Buffer.buffer();
        private final Promise<Received> done = Promise.promise();
        private AsyncFile out;
        private long size;

        Intake(ReadStream<Buffer> in, long max) {
            this.in = in;
            this.max = max;
            in.exceptionHandler(this::fail);
        }

        /** Streams into the open file; fails at once if the stream broke while the file was being opened. */
        Future<Received> into(AsyncFile file) {
            this.out = file;
            if (done.future().isComplete()) {
                return done.future();
            }
            out.exceptionHandler(this::fail);
            in.endHandler(v -> out.close().onComplete(ar -> {
                if (ar.succeeded()) {
                    done.tryComplete(new Received(size, head.getBytes()));
                } else {
                    fail(ar.cause());
                }
            }));
            in.handler(this::chunk);
            in.resume();
            return done.future();
        }

        private void chunk(Buffer b) {
            if (done.future().isComplete()) {
                return;
            }
            size += b.length();
            if (size > max) {
                fail(new Failure(ErrorCode.TOO_LARGE, "the file is larger than " + max + " bytes"));
                return;
            }
            if (head.length() < Sniff.HEAD_BYTES) {
                head.appendBuffer(b, 0, Math.min(b.length(), Sniff.HEAD_BYTES - head.length()));
            }
            out.write(b).onFailure(this::fail);
            if (out.writeQueueFull()) {
                in.pause();
                out.drainHandler(v -> in.resume());
            }
        }

        private void fail(Throwable t) {
            if (!done.future().isComplete()) {
                // Detach first: failing runs the clean-up (which closes the file) at once.
                discard(in);
                done.fail(t);
            }
        }
    }
}
