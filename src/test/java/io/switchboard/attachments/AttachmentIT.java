package io.switchboard.attachments;

import io.switchboard.store.pg.Jdbc;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads end to end: multipart in, typed by the bytes, kept under the data directory; over the
 * limit nothing is kept; an unsent file is the uploader's alone, a sent one is readable by whoever
 * may see its conversation, and everyone else learns nothing (404).
 */
class AttachmentIT extends NodeTestBase {
    private static final int LIMIT = 100_000;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
            0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, (byte) 0xC4, (byte) 0x89};
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_MAX_UPLOAD_BYTES", String.valueOf(LIMIT));
    }

    /** Files already there: a data directory of an earlier run of the suite may be reused. */
    private List<Path> earlier;

    @BeforeEach
    void start() {
        earlier = allFiles();
    }

    // ---- HTTP with raw bodies (multipart built here) ----

    /** A response: status, headers, raw bytes, and the JSON body when there is one. */
    private record Reply(int status, HttpHeaders headers, byte[] bytes) {
        JsonObject json() {
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        }

        String errorCode() {
            return json().getJsonObject("error").getString("code");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** One part of a multipart body. */
    private record Part(String name, String filename, String contentType, byte[] content) {
    }

    private static final String BOUNDARY = "----switchboard-test-" + UUID.randomUUID();

    private static byte[] multipart(Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder h = new StringBuilder("--").append(BOUNDARY).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.filename() != null) {
                h.append("; filename=\"").append(p.filename()).append('"');
            }
            h.append("\r\n");
            if (p.contentType() != null) {
                h.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            h.append("\r\n");
            out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Part file(String filename, String declaredType, byte[] content) {
        return new Part("file", filename, declaredType, content);
    }

    private Reply send(HttpRequest.Builder b, String bearer) {
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply post(String query, String bearer, HttpRequest.BodyPublisher body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(node.httpBase() + "/api/attachments" + query))
                .header("Content-Type", contentType).POST(body), bearer);
    }

    private Reply uploadAs(String bearer, String visitorToken, Part... parts) {
        return post(visitorToken == null ? "" : "?token=" + visitorToken, bearer,
                HttpRequest.BodyPublishers.ofByteArray(multipart(parts)), "multipart/form-data; boundary=" + BOUNDARY);
    }

    private Reply agentUpload(String jwt, String filename, String declaredType, byte[] content) {
        return uploadAs(jwt, null, file(filename, declaredType, content));
    }

    private Reply visitorUpload(String token, String filename, String declaredType, byte[] content) {
        return uploadAs(null, token, file(filename, declaredType, content));
    }

    private Reply fetch(String url, String bearer, String visitorToken) {
        return send(HttpRequest.newBuilder(URI.create(node.httpBase() + url + (visitorToken == null ? "" : "?token=" + visitorToken)))
                .GET(), bearer);
    }

    private static String visitorToken(Ws customer) {
        return customer.await("hello").getJsonObject("visitor").getString("token");
    }

    private static void assertNotFound(Reply r) {
        assertThat(r.status()).as(new String(r.bytes(), StandardCharsets.UTF_8)).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("not_found");
    }

    private Path attachmentsDir() {
        return Path.of(node.env("SWITCHBOARD_DATA_DIR")).resolve("attachments");
    }

    /** The files this test stored under the attachments directory. */
    private List<Path> storedFiles() {
        return allFiles().stream().filter(p -> !earlier.contains(p)).toList();
    }

    private List<Path> allFiles() {
        if (!Files.exists(attachmentsDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(attachmentsDir())) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long attachmentRows() {
        try (Connection c = Jdbc.connect(node.env("SWITCHBOARD_PG_URL"));
             ResultSet rs = c.createStatement().executeQuery("select count(*) from attachments")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String outsiderToken() {
        String outsider = fx.createAgent("outsider@test.local", "agent");
        fx.setMembers(fx.createTeam("Sales", "manual"), List.of(outsider));
        return fx.login("outsider@test.local");
    }

    // ---- uploads ----

    @Test
    void anAgentsUploadIsTypedByItsBytesNotByTheDeclaredTypeAndStoredUnderTheDataDir() {
        Reply r = agentUpload(fx.adminToken(), "../../etc/shot.png", "text/plain", PNG);

        assertThat(r.status()).as(new String(r.bytes(), StandardCharsets.UTF_8)).isEqualTo(201);
        JsonObject a = r.json();
        String id = a.getString("id");
        assertThat(a.getString("name")).isEqualTo("shot.png");
        assertThat(a.getString("contentType")).isEqualTo("image/png");
        assertThat(a.getLong("size")).isEqualTo(PNG.length);
        assertThat(a.getString("url")).isEqualTo("/api/attachments/" + id);
        assertThat(storedFiles()).containsExactly(attachmentsDir().resolve(id.substring(0, 2)).resolve(id));

        Reply got = fetch(a.getString("url"), fx.adminToken(), null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.bytes()).isEqualTo(PNG);
        assertThat(got.header("Content-Type")).isEqualTo("image/png");
        assertThat(got.header("Content-Length")).isEqualTo(String.valueOf(PNG.length));
        assertThat(got.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(got.header("Content-Disposition")).isEqualTo("inline; filename*=UTF-8''shot.png");
    }

    @Test
    void aVisitorUploadsWithItsTokenAndOnlyItMayFetchTheUnsentFile() {
        try (Ws alice = Ws.customer(node.port(), node.widgetKey(), null);
             Ws bob = Ws.customer(node.port(), node.widgetKey(), null)) {
            String aliceToken = visitorToken(alice);
            String bobToken = visitorToken(bob);
            byte[] text = "grüße\n".getBytes(StandardCharsets.UTF_8);

            Reply r = visitorUpload(aliceToken, "notes ü.txt", "application/x-msdownload", text);

            assertThat(r.status()).as(new String(r.bytes(), StandardCharsets.UTF_8)).isEqualTo(201);
            String url = r.json().getString("url");
            assertThat(r.json().getString("contentType")).isEqualTo("text/plain");
            assertThat(r.json().getString("name")).isEqualTo("notes ü.txt");

            Reply mine = fetch(url, null, aliceToken);
            assertThat(mine.status()).isEqualTo(200);
            assertThat(mine.bytes()).isEqualTo(text);
            assertThat(mine.header("Content-Type")).isEqualTo("text/plain");
            assertThat(mine.header("Content-Disposition")).isEqualTo("attachment; filename*=UTF-8''notes%20%C3%BC.txt");
            assertThat(mine.header("X-Content-Type-Options")).isEqualTo("nosniff");

            assertNotFound(fetch(url, null, bobToken));
            assertNotFound(fetch(url, fx.adminToken(), null));
            assertNotFound(fetch(url, outsiderToken(), null));
        }
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        assertNotFound(fetch("/api/attachments/" + UUID.randomUUID(), fx.adminToken(), null));
        assertNotFound(fetch("/api/attachments/not-a-uuid", fx.adminToken(), null));
    }

    @Test
    void requestsWithoutValidCredentialsAre401() {
        Reply anonymous = agentUpload(null, "a.png", "image/png", PNG);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo("unauthorized");
        assertThat(visitorUpload("no-such-visitor", "a.png", "image/png", PNG).status()).isEqualTo(401);
        assertThat(agentUpload("not.a.jwt", "a.png", "image/png", PNG).status()).isEqualTo(401);

        String url = agentUpload(fx.adminToken(), "a.png", "image/png", PNG).json().getString("url");
        Reply get = fetch(url, null, null);
        assertThat(get.status()).isEqualTo(401);
        assertThat(get.errorCode()).isEqualTo("unauthorized");
        assertThat(storedFiles()).hasSize(1);
        assertThat(attachmentRows()).isEqualTo(1);
    }

    @Test
    void anUploadWithoutAFilePartIsABadRequest() {
        Reply noFile = uploadAs(fx.adminToken(), null, new Part("other", "a.png", "image/png", PNG));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.errorCode()).isEqualTo("bad_request");

        Reply notMultipart = post("", fx.adminToken(), HttpRequest.BodyPublishers.ofString("{\"file\":\"x\"}"), "application/json");
        assertThat(notMultipart.status()).isEqualTo(400);
        assertThat(notMultipart.errorCode()).isEqualTo("bad_request");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void onlyThePartNamedFileIsKept() {
        Reply r = uploadAs(fx.adminToken(), null,
                new Part("caption", null, null, "hello".getBytes(StandardCharsets.UTF_8)),
                file("doc.pdf", "image/png", PDF),
                new Part("file", "second.png", "image/png", PNG));

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().getString("name")).isEqualTo("doc.pdf");
        assertThat(r.json().getString("contentType")).isEqualTo("application/pdf");
        assertThat(fetch(r.json().getString("url"), fx.adminToken(), null).bytes()).isEqualTo(PDF);
        assertThat(storedFiles()).hasSize(1);
    }

    @Test
    void aFileOverTheLimitIsRefusedWith413AndNothingIsKept() {
        byte[] atLimit = new byte[LIMIT];
        Arrays.fill(atLimit, (byte) 'a');
        byte[] overLimit = new byte[LIMIT + 1];
        Arrays.fill(overLimit, (byte) 'b');
        byte[] farOver = new byte[3 * 1024 * 1024];
        Arrays.fill(farOver, (byte) 'c');

        Reply fits = agentUpload(fx.adminToken(), "fits.txt", "text/plain", atLimit);
        assertThat(fits.status()).as("exactly the limit is allowed").isEqualTo(201);
        assertThat(fits.json().getLong("size")).isEqualTo(LIMIT);
        String keptId = fits.json().getString("id");

        // Streamed past the limit (the declared length is within the multipart allowance).
        Reply over = agentUpload(fx.adminToken(), "over.txt", "text/plain", overLimit);
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.errorCode()).isEqualTo("too_large");

        // No declared length at all (chunked): counted as it streams.
        Reply chunked = post("", fx.adminToken(),
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(multipart(file("chunked.bin", null, overLimit)))),
                "multipart/form-data; boundary=" + BOUNDARY);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.errorCode()).isEqualTo("too_large");

        // A declared length far over the limit is refused before reading.
        Reply declared = agentUpload(fx.adminToken(), "huge.bin", null, farOver);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.errorCode()).isEqualTo("too_large");

        // A visitor's oversized file is refused the same way.
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            Reply visitorOver = visitorUpload(visitorToken(c), "v.txt", "text/plain", overLimit);
            assertThat(visitorOver.status()).isEqualTo(413);
            assertThat(visitorOver.errorCode()).isEqualTo("too_large");
        }

        assertThat(storedFiles()).containsExactly(attachmentsDir().resolve(keptId.substring(0, 2)).resolve(keptId));
        assertThat(attachmentRows()).isEqualTo(1);
        assertThat(agentUpload(fx.adminToken(), "after.png", null, PNG).status())
                .as("the server still takes uploads after refusals").isEqualTo(201);
    }

    /**
     * A raw HTTP/1.1 exchange with {@code Expect: 100-continue} (the JDK client waits forever when a
     * final status comes instead of 100): the head, then, if the server says 100, the body; returns
     * everything the server sent until it closed the connection (or the read timed out).
     */
    private String expectingContinue(String bearer, long declaredLength, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", node.port())) {
            s.setSoTimeout((int) Ws.TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                    + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                    + "Content-Length: " + declaredLength + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                if (got.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 100") && body != null) {
                    got.reset();
                    out.write(body);
                    out.flush();
                    body = null;
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClientExpectingContinueIsAnsweredBeforeItSendsTheBody() throws IOException {
        byte[] small = multipart(file("a.png", null, PNG));
        String accepted = expectingContinue(fx.adminToken(), small.length, small);
        assertThat(accepted).startsWith("HTTP/1.1 201").contains("\"contentType\":\"image/png\"");

        assertThat(expectingContinue(fx.adminToken(), 9_000_000, multipart(file("huge.bin", null, new byte[1024]))))
                .as("a declared length over the limit is refused without reading, and the connection closed")
                .startsWith("HTTP/1.1 413").contains("\"too_large\"");
        assertThat(expectingContinue(null, small.length, small)).startsWith("HTTP/1.1 401").contains("\"unauthorized\"");
        assertThat(storedFiles()).hasSize(1);
    }

    // ---- sending in messages ----

    @Test
    void aCustomersSentFileIsReadableByWhoeverMaySeeItsConversationOnly() {
        String outsider = outsiderToken();
        try (Ws alice = Ws.customer(node.port(), node.widgetKey(), null);
             Ws bob = Ws.customer(node.port(), node.widgetKey(), null);
             Ws admin = Ws.agent(node.port(), fx.adminToken())) {
            String aliceToken = visitorToken(alice);
            String bobToken = visitorToken(bob);
            admin.await("hello");
            JsonObject up = visitorUpload(aliceToken, "contract.pdf", "image/png", PDF).json();
            String id = up.getString("id");

            assertThat(bob.errorCode(new JsonObject().put("type", "message").put("clientMsgId", "steal").put("attachmentId", id)))
                    .as("nobody sends another's file").isEqualTo("not_found");
            try (Ws bobAgain = Ws.customer(node.port(), node.widgetKey(), bobToken)) {
                assertThat(bobAgain.await("hello").getValue("conversation")).as("the refused file opened nothing").isNull();
            }
            String conv = alice.ack(new JsonObject().put("type", "message").put("clientMsgId", "c1").put("attachmentId", id))
                    .getString("conversationId");

            JsonObject alert = admin.await(f -> "conversation.new".equals(f.getString("type"))
                    && conv.equals(f.getJsonObject("conversation").getString("id")));
            assertThat(alert.getJsonObject("message").getJsonObject("attachment")).isEqualTo(new JsonObject()
                    .put("id", id).put("name", "contract.pdf").put("contentType", "application/pdf")
                    .put("size", PDF.length).put("url", "/api/attachments/" + id));

            Reply byAgent = fetch("/api/attachments/" + id, fx.adminToken(), null);
            assertThat(byAgent.status()).isEqualTo(200);
            assertThat(byAgent.bytes()).isEqualTo(PDF);
            assertThat(byAgent.header("Content-Disposition")).isEqualTo("attachment; filename*=UTF-8''contract.pdf");
            assertThat(fetch("/api/attachments/" + id, null, aliceToken).status()).isEqualTo(200);
            assertNotFound(fetch("/api/attachments/" + id, null, bobToken));
            assertNotFound(fetch("/api/attachments/" + id, outsider, null));
        }
    }

    @Test
    void anAgentsSentImageReachesTheCustomerWhoMayFetchItAndNobodyElse() {
        String outsider = outsiderToken();
        try (Ws alice = Ws.customer(node.port(), node.widgetKey(), null);
             Ws bob = Ws.customer(node.port(), node.widgetKey(), null);
             Ws admin = Ws.agent(node.port(), fx.adminToken())) {
            String aliceToken = visitorToken(alice);
            String bobToken = visitorToken(bob);
            admin.await("hello");
            String conv = alice.ack(new JsonObject().put("type", "message").put("clientMsgId", "c1").put("text", "hi"))
                    .getString("conversationId");
            String bobConv = bob.ack(new JsonObject().put("type", "message").put("clientMsgId", "b1").put("text", "me too"))
                    .getString("conversationId");
            admin.ack(frame("conversation.assign", conv));
            admin.ack(frame("conversation.assign", bobConv));
            JsonObject up = agentUpload(fx.adminToken(), "screenshot.png", "application/pdf", PNG).json();
            String id = up.getString("id");
            assertNotFound(fetch(up.getString("url"), null, aliceToken));

            admin.ack(frame("message", conv).put("clientMsgId", "a1").put("kind", "image").put("attachmentId", id));

            JsonObject m = alice.await(f -> "message".equals(f.getString("type"))
                    && f.getJsonObject("message").getJsonObject("attachment") != null).getJsonObject("message");
            assertThat(m.getString("kind")).isEqualTo("image");
            assertThat(m.getJsonObject("attachment")).isEqualTo(new JsonObject()
                    .put("id", id).put("name", "screenshot.png").put("contentType", "image/png")
                    .put("size", PNG.length).put("url", "/api/attachments/" + id));
            Reply got = fetch(m.getJsonObject("attachment").getString("url"), null, aliceToken);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.bytes()).isEqualTo(PNG);
            assertNotFound(fetch("/api/attachments/" + id, null, bobToken));
            assertNotFound(fetch("/api/attachments/" + id, outsider, null));

            assertThat(admin.errorCode(frame("message", bobConv).put("clientMsgId", "a2").put("kind", "image").put("attachmentId", id)))
                    .as("a file sent in one conversation cannot be sent into another").isEqualTo("not_found");
            admin.ack(frame("message", conv).put("clientMsgId", "a3").put("kind", "file").put("attachmentId", id));
            assertNotFound(fetch("/api/attachments/" + id, null, bobToken));
        }
    }
}
