package io.switchboard.http;

import io.switchboard.domain.Attachment;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Failure;
import io.switchboard.protocol.Views;
import io.switchboard.service.AttachmentService;
import io.switchboard.service.AttachmentService.Requester;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /api/attachments} (multipart, one part named {@code file}) and
 * {@code GET /api/attachments/{id}}, for agents (bearer token) and visitors ({@code ?token=}).
 * Mounted before agent authentication and the JSON body handler: it authenticates by itself and
 * reads the request body as a stream, on the request's event loop.
 */
final class AttachmentRoutes {
    /** Room for the multipart framing around the file (boundaries, part headers, small extra fields). */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    /**
     * After refusing an upload part-way, the rest of the request is still read (and dropped), so
     * that the client, busy sending, reads the answer instead of a reset connection; past this many
     * further bytes (or the size limit, if larger) the connection is closed instead.
     */
    static final long LINGER_BYTES = 4L * 1024 * 1024;

    private final AttachmentService attachments;
    private final AuthService auth;
    private final ConversationService conversations;
    private final long maxBytes;

    AttachmentRoutes(AttachmentService attachments, AuthService auth, ConversationService conversations, long maxBytes) {
        this.attachments = attachments;
        this.auth = auth;
        this.conversations = conversations;
        this.maxBytes = maxBytes;
    }

    void mount(Vertx vertx, Router api) {
        api.post("/attachments").handler(this::upload);
        api.get("/attachments/:id").handler(this::download);
    }

    /** An agent by bearer token, else a visitor by {@code ?token=}; {@code unauthorized} without either. */
    private Future<Requester> requester(RoutingContext ctx) {
        String bearer = AgentAuth.bearer(ctx);
        if (bearer != null) {
            return auth.agent(bearer).map(a -> new Requester.OfAgent(a.principal()));
        }
        String token = ctx.request().getParam("token");
        if (token != null && !token.isEmpty()) {
            return auth.visitorByToken(token).map(Requester.OfVisitor::new);
        }
        return Future.failedFuture(Failure.unauthorized("an agent token or a visitor token is required"));
    }

    private void upload(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        // Nothing of the body may be read (and lost) before we know who sends it and where it goes.
        req.pause();
        RequestLoop.back(ctx, requester(ctx)).onComplete(ar -> {
            if (ar.failed()) {
                new Exchange(ctx).answer(ar.cause());
                return;
            }
            String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                new Exchange(ctx).answer(Failure.badRequest("send the file as multipart/form-data, in a part named file"));
                return;
            }
            long declared = contentLength(req);
            if (declared > maxBytes + MULTIPART_OVERHEAD) {
                new Exchange(ctx).answer(tooLarge());
                return;
            }
            new Exchange(ctx).start(ar.result());
        });
    }

    private Failure tooLarge() {
        return new Failure(ErrorCode.TOO_LARGE, "the file is larger than " + maxBytes + " bytes");
    }

    private static long contentLength(HttpServerRequest req) {
        String raw = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (raw == null) {
            return -1;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One upload request: takes the first part named {@code file}, ignores the others, answers once. */
    private final class Exchange {
        private final RoutingContext ctx;
        private final HttpServerRequest req;
        private boolean sawFile;
        private boolean answered;
        /** Whether the client was told to send its body ({@code 100 Continue}). */
        private boolean continued;

        Exchange(RoutingContext ctx) {
            this.ctx = ctx;
            this.req = ctx.request();
        }

        void start(Requester who) {
            if (ctx.response().closed()) {
                return; // the client left while we checked who it is
            }
            // A part that begins after the connection closed would never hear of it: take no part from then on.
            ctx.response().closeHandler(v -> answered = true);
            req.setExpectMultipart(true);
            req.uploadHandler(upload -> {
                if (answered || sawFile || !"file".equals(upload.name())) {
                    return; // no handler: its bytes are dropped
                }
                sawFile = true;
                upload.pause(); // until the file on disk is open
                RequestLoop.back(ctx, attachments.upload(who, upload.filename(), upload)).onComplete(ar -> {
                    if (ar.succeeded()) {
                        answer(ar.result());
                    } else {
                        answer(ar.cause());
                    }
                });
            });
            // A malformed multipart body; if the connection is gone instead, there is nobody to answer.
            req.exceptionHandler(t -> answer(Failure.badRequest("the multipart body is malformed")));
            req.endHandler(v -> {
                if (!sawFile) {
                    answer(Failure.badRequest("a part named file is required"));
                }
            });
            if (expectsContinue(req)) {
                req.response().writeContinue();
                continued = true;
            }
            req.resume();
        }

        void answer(Attachment a) {
            if (begin()) {
                ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(Views.attachment(a.ref()).toBuffer());
            }
        }

        void answer(Throwable failure) {
            if (begin()) {
                ctx.fail(failure);
            }
        }

        /** Whether to answer (only once, and only while the client listens); drains what is still coming. */
        private boolean begin() {
            if (answered || ctx.response().closed() || ctx.response().ended()) {
                answered = true;
                return false;
            }
            answered = true;
            if (!req.isEnded() && expectsContinue(req) && !continued && req.version() != HttpVersion.HTTP_2) {
                // Refused before the client sent its body: it sends none, so the request never ends here.
                // Closing after the answer frees the connection (and clients that would wait for it).
                ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                ctx.addEndHandler(ar -> req.connection().close());
                return true;
            }
            if (!req.isEnded()) {
                if (req.version() != HttpVersion.HTTP_2) {
                    // HTTP/1: the rest of this body is unread, so the connection is not reused.
                    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
                long stopAt = req.bytesRead() + Math.max(LINGER_BYTES, maxBytes);
                req.exceptionHandler(t -> { });
                req.endHandler(null);
                req.handler(b -> {
                    if (req.bytesRead() > stopAt) {
                        if (req.version() == HttpVersion.HTTP_2) {
                            ctx.response().reset(); // this stream only
                        } else {
                            req.connection().close();
                        }
                    }
                });
                req.resume();
            }
            return true;
        }
    }

    private static boolean expectsContinue(HttpServerRequest req) {
        return "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT));
    }

    private void download(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        // Back on the request's loop before the file opens: the file's reads then come on it too, and
        // so do the writes they pipe to the response.
        RequestLoop.back(ctx, requester(ctx).compose(who -> attachments.readable(who, id, conversations::state)))
                .compose(a -> attachments.open(a).map(file -> new Opened(a, file)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                    }
                    Attachment a = ar.result().attachment();
                    AsyncFile file = ar.result().file();
                    HttpServerResponse res = ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, a.contentType())
                            .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(a.size()))
                            .putHeader("Content-Disposition", disposition(a))
                            .putHeader("X-Content-Type-Options", "nosniff")
                            // A file is never a page: no scripts, no plugins, even if a browser renders it.
                            .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                            // Stored formats are mostly compressed already; keeps Content-Length exact.
                            .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
                    file.pipeTo(res).onComplete(done -> file.close());
                });
    }

    private record Opened(Attachment attachment, AsyncFile file) {
    }

    /**
     * {@code inline} for images, video and audio (shown in the chat), {@code attachment} for anything
     * else (downloaded, never rendered as a page); the name encoded per RFC 6266 / RFC 8187.
     */
    static String disposition(Attachment a) {
        String t = a.contentType();
        boolean inline = t.startsWith("image/") || t.startsWith("video/") || t.startsWith("audio/");
        return (inline ? "inline" : "attachment") + "; filename*=UTF-8''" + encode(a.name());
    }

    /** RFC 8187 value encoding: attr-chars as they are, every other UTF-8 byte as %XX. */
    static String encode(String name) {
        StringBuilder b = new StringBuilder();
        for (byte raw : name.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
