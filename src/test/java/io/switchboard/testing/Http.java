package io.switchboard.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A blocking JSON HTTP client for tests. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status and JSON body (null when the body is not JSON). */
    public record Response(int status, JsonObject body, String raw) {
        public String errorCode() {
            return body == null || body.getJsonObject("error") == null ? null : body.getJsonObject("error").getString("code");
        }
    }

    private final String base;

    public Http(String base) {
        this.base = base;
    }

    public Response get(String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), bearer);
    }

    public Response post(String path, JsonObject body, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())), bearer);
    }

    public Response put(String path, JsonObject body, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())), bearer);
    }

    public Response patch(String path, JsonObject body, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())), bearer);
    }

    public Response postRaw(String path, String body, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), bearer);
    }

    /** A multipart upload of one part named {@code file}. */
    public Response upload(String path, String filename, String declaredType, byte[] bytes, String bearer) {
        String boundary = "----sb" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + declaredType + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bytes, 0, body, head.length, bytes.length);
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), bearer);
    }

    /** The raw bytes of a GET (for downloads). */
    public HttpResponse<byte[]> getBytes(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET().timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonObject login(String email, String password) {
        Response r = post("/api/login", new JsonObject().put("email", email).put("password", password), null);
        if (r.status() != 200) {
            throw new AssertionError("login failed: " + r.status() + " " + r.raw());
        }
        return r.body();
    }

    private Response send(HttpRequest.Builder b, String bearer) {
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonObject json = null;
            try {
                json = r.body().isEmpty() ? null : new JsonObject(r.body());
            } catch (RuntimeException notJson) {
                // left null: the test looks at raw
            }
            return new Response(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
