package io.switchboard.catalog;

import io.switchboard.domain.Failure;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Role;
import io.switchboard.domain.TextBlock;
import io.switchboard.service.CatalogService;
import io.switchboard.store.pg.PgPools;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Http;
import io.switchboard.testing.TestServers;
import io.switchboard.testing.Ws;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static io.switchboard.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Text blocks, articles and flows over HTTP and the agent socket: who writes, who sees, what a search finds. */
class CatalogIT extends NodeTestBase {
    private static final String OTHER_WORKSPACE = "00000000-0000-0000-0000-0000000000aa";

    private Http http;
    private String admin;

    @BeforeEach
    void start() {
        http = node.http();
        admin = fx.adminToken();
    }

    private JsonObject block(String shortcut, String title, String body, String teamId) {
        return new JsonObject().put("shortcut", shortcut).put("title", title).put("body", body).put("teamId", teamId);
    }

    private JsonObject created(String path, JsonObject body) {
        Http.Response r = http.post(path, body, admin);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body();
    }

    private List<String> shortcuts(String q, String token) {
        Http.Response r = http.get("/api/text-blocks" + (q == null ? "" : "?q=" + enc(q)), token);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().getJsonArray("results").stream().map(JsonObject.class::cast).map(o -> o.getString("shortcut")).toList();
    }

    /** DELETE, which the shared test client does not offer. */
    private Http.Response delete(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.httpBase() + path)).DELETE().timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Response(r.statusCode(), r.body().isEmpty() ? null : new JsonObject(r.body()), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void sql(String statement) {
        TestServers.sql(node.env("SWITCHBOARD_PG_URL"), statement);
    }

    /** A second workspace with one text block, article and flow, none of which this workspace's agents may reach. */
    private void otherWorkspace(String blockId, String articleId, String flowId) {
        sql("insert into workspaces (id, name) values ('" + OTHER_WORKSPACE + "', 'Elsewhere')");
        sql("insert into text_blocks (id, workspace_id, shortcut, title, body) values ('" + blockId + "', '"
                + OTHER_WORKSPACE + "', 'foreign', 'Foreign greeting', 'greetings from elsewhere')");
        sql("insert into articles (id, workspace_id, title, body) values ('" + articleId + "', '" + OTHER_WORKSPACE
                + "', 'Foreign article', 'greetings from elsewhere')");
        sql("insert into flows (id, workspace_id, title, options) values ('" + flowId + "', '" + OTHER_WORKSPACE
                + "', 'Foreign flow', '[{\"id\":\"a\",\"label\":\"A\"}]')");
    }

    // --- text blocks: writing ---

    @Test
    void anAdminCreatesEditsAndDeletesATextBlock() {
        JsonObject b = created("/api/text-blocks", block("#greet", "Greeting", "Hello {{customer.name}}!", null));
        assertThat(b.fieldNames()).containsExactlyInAnyOrder("id", "shortcut", "title", "body", "teamId");
        assertThat(b.getString("shortcut")).as("the leading # is dropped").isEqualTo("greet");
        assertThat(b.getString("teamId")).isNull();
        String id = b.getString("id");
        assertThat(http.get("/api/text-blocks/" + id, admin).body()).isEqualTo(b);

        Http.Response edited = http.put("/api/text-blocks/" + id, new JsonObject().put("title", "Warm greeting"), admin);
        assertThat(edited.status()).as(edited.raw()).isEqualTo(200);
        assertThat(edited.body()).isEqualTo(b.copy().put("title", "Warm greeting"));

        String team = fx.supportTeamId();
        edited = http.put("/api/text-blocks/" + id, new JsonObject().put("shortcut", "hi").put("body", "Hi!").put("teamId", team), admin);
        assertThat(edited.status()).as(edited.raw()).isEqualTo(200);
        assertThat(edited.body()).isEqualTo(new JsonObject().put("id", id).put("shortcut", "hi").put("title", "Warm greeting")
                .put("body", "Hi!").put("teamId", team));
        assertThat(shortcuts("hi", admin)).containsExactly("hi");

        Http.Response deleted = delete("/api/text-blocks/" + id, admin);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.raw()).isEmpty();
        assertThat(http.get("/api/text-blocks/" + id, admin).errorCode()).isEqualTo("not_found");
        assertThat(delete("/api/text-blocks/" + id, admin).errorCode()).isEqualTo("not_found");
        assertThat(http.put("/api/text-blocks/" + id, new JsonObject().put("title", "x"), admin).errorCode()).isEqualTo("not_found");
        assertThat(shortcuts("hi", admin)).isEmpty();
    }

    @Test
    void onlyAdminsWriteTheCatalogButEveryAgentReadsIt() {
        fx.createAgent("agent@test.local", "agent");
        String agent = fx.login("agent@test.local");
        String id = created("/api/text-blocks", block("greet", "Greeting", "Hello", null)).getString("id");
        created("/api/articles", new JsonObject().put("title", "Shipping").put("body", "It ships."));
        created("/api/flows", new JsonObject().put("title", "Happy?").put("options",
                new JsonArray().add(new JsonObject().put("id", "y").put("label", "Yes"))));

        assertThat(http.post("/api/text-blocks", block("mine", "Mine", "Mine", null), agent).errorCode()).isEqualTo("forbidden");
        assertThat(http.put("/api/text-blocks/" + id, new JsonObject().put("title", "Hijacked"), agent).errorCode()).isEqualTo("forbidden");
        assertThat(delete("/api/text-blocks/" + id, agent).errorCode()).isEqualTo("forbidden");
        assertThat(http.post("/api/articles", new JsonObject().put("title", "T").put("body", "B"), agent).errorCode()).isEqualTo("forbidden");
        assertThat(http.post("/api/flows", new JsonObject().put("title", "T").put("options",
                new JsonArray().add(new JsonObject().put("id", "a").put("label", "A"))), agent).status()).isEqualTo(403);

        assertThat(shortcuts("gre", agent)).containsExactly("greet");
        assertThat(http.get("/api/text-blocks/" + id, agent).body().getString("title")).isEqualTo("Greeting");
        assertThat(http.get("/api/articles", agent).body().getJsonArray("results")).hasSize(1);
        assertThat(http.get("/api/flows", agent).body().getJsonArray("flows")).hasSize(1);
        assertThat(http.get("/api/text-blocks", null).status()).isEqualTo(401);
    }

    @Test
    void textBlockFieldsAreCheckedAndAShortcutIsUniqueInItsScope() {
        String team = fx.createTeam("Billing", "manual");
        for (JsonObject bad : List.of(
                block("", "T", "B", null),
                block("#", "T", "B", null),
                block("two words", "T", "B", null),
                block("tab\there", "T", "B", null),
                block("x".repeat(41), "T", "B", null),
                block("ok", "", "B", null),
                block("ok", "   ", "B", null),
                block("ok", "t".repeat(201), "B", null),
                block("ok", "T", "", null),
                block("ok", "T", "b".repeat(10_001), null),
                block("ok", "T", "B", "not-a-uuid"),
                block("ok", "T", "B", UUID.randomUUID().toString()),
                new JsonObject().put("title", "T").put("body", "B"),
                new JsonObject().put("shortcut", 7).put("title", "T").put("body", "B"))) {
            Http.Response r = http.post("/api/text-blocks", bad, admin);
            assertThat(r.status()).as(bad.encode() + " → " + r.raw()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("bad_request");
        }
        assertThat(http.postRaw("/api/text-blocks", "[1,2]", admin).errorCode()).isEqualTo("bad_request");

        assertThat(created("/api/text-blocks", block("x".repeat(40), "T", "b".repeat(10_000), null)).getString("shortcut")).hasSize(40);
        String refund = created("/api/text-blocks", block("Refund", "Refund", "We refund.", null)).getString("id");
        assertThat(http.post("/api/text-blocks", block("#REFUND", "Again", "Again", null), admin).errorCode())
                .as("the same shortcut, whatever its case, in the same scope").isEqualTo("conflict");
        JsonObject teamRefund = created("/api/text-blocks", block("refund", "Billing refund", "Billing refunds.", team));
        assertThat(teamRefund.getString("teamId")).isEqualTo(team);
        assertThat(http.post("/api/text-blocks", block("refund", "Again", "Again", team), admin).errorCode()).isEqualTo("conflict");

        String other = created("/api/text-blocks", block("other", "Other", "Other", null)).getString("id");
        assertThat(http.put("/api/text-blocks/" + other, new JsonObject().put("shortcut", "refund"), admin).errorCode())
                .isEqualTo("conflict");
        assertThat(http.put("/api/text-blocks/" + other, new JsonObject().put("shortcut", "a b"), admin).errorCode())
                .isEqualTo("bad_request");
        assertThat(http.put("/api/text-blocks/" + other, new JsonObject().put("title", ""), admin).errorCode())
                .isEqualTo("bad_request");
        assertThat(http.put("/api/text-blocks/" + other, new JsonObject().put("teamId", UUID.randomUUID().toString()), admin)
                .errorCode()).isEqualTo("bad_request");
        assertThat(http.put("/api/text-blocks/" + refund, new JsonObject().put("teamId", team), admin).errorCode())
                .as("moving it into a team that has the shortcut already").isEqualTo("conflict");

        String foreign = UUID.randomUUID().toString();
        otherWorkspace(foreign, UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (String id : List.of("nope", UUID.randomUUID().toString(), foreign)) {
            assertThat(http.get("/api/text-blocks/" + id, admin).errorCode()).as(id).isEqualTo("not_found");
            assertThat(http.put("/api/text-blocks/" + id, new JsonObject().put("title", "Mine now"), admin).errorCode())
                    .as(id).isEqualTo("not_found");
            assertThat(delete("/api/text-blocks/" + id, admin).errorCode()).as(id).isEqualTo("not_found");
        }
        assertThat(shortcuts("foreign", admin)).isEmpty();
        assertThat(shortcuts("greetings", admin)).isEmpty();
        assertThat(http.get("/api/text-blocks?q=" + "q".repeat(201), admin).errorCode()).isEqualTo("bad_request");
    }

    // --- text blocks: who sees what ---

    @Test
    void aTeamsTextBlockIsFoundOnlyByItsMembersAndAdmins() {
        String billing = fx.createTeam("Billing", "manual");
        String memberId = fx.createAgent("member@test.local", "agent");
        fx.createAgent("outsider@test.local", "agent");
        fx.setMembers(billing, List.of(memberId));
        String member = fx.login("member@test.local");
        String outsider = fx.login("outsider@test.local");
        created("/api/text-blocks", block("invoice", "Invoice copy", "Here is your invoice copy.", null));
        String vip = created("/api/text-blocks", block("invoice-vip", "VIP invoice", "Priority invoice handling.", billing))
                .getString("id");

        assertThat(shortcuts("inv", member)).containsExactly("invoice", "invoice-vip");
        assertThat(shortcuts("inv", admin)).containsExactly("invoice", "invoice-vip");
        assertThat(shortcuts("inv", outsider)).containsExactly("invoice");
        assertThat(shortcuts("priority", outsider)).isEmpty();
        assertThat(shortcuts("priority", member)).containsExactly("invoice-vip");
        assertThat(shortcuts("", outsider)).containsExactly("invoice");
        assertThat(http.get("/api/text-blocks/" + vip, outsider).errorCode()).isEqualTo("not_found");
        assertThat(http.get("/api/text-blocks/" + vip, member).status()).isEqualTo(200);

        try (Ws out = Ws.agent(node.port(), outsider); Ws in = Ws.agent(node.port(), member)) {
            out.await("hello");
            in.await("hello");
            JsonObject search = new JsonObject().put("type", "textblocks.search").put("q", "inv");
            assertThat(shortcutsOf(out.ack(search))).containsExactly("invoice");
            assertThat(shortcutsOf(in.ack(search))).containsExactly("invoice", "invoice-vip");

            // membership changes apply at once
            fx.setMembers(billing, List.of());
            assertThat(shortcuts("inv", member)).containsExactly("invoice");
        }
    }

    private static List<String> shortcutsOf(JsonObject result) {
        return result.getJsonArray("results").stream().map(JsonObject.class::cast).map(o -> o.getString("shortcut")).toList();
    }

    // --- text blocks: search over many ---

    @Test
    void searchAmongTenThousandBlocksPutsShortcutPrefixesFirstThenWordsRanked() throws Exception {
        String billing = fx.createTeam("Billing", "manual");
        fx.createAgent("outsider@test.local", "agent");
        String outsider = fx.login("outsider@test.local");
        long insertStart = System.nanoTime();
        sql("""
                insert into text_blocks (id, workspace_id, shortcut, title, body)
                select gen_random_uuid(), w.id, 'bulk' || lpad(i::text, 5, '0'), 'Standard answer ' || i,
                       'Standard shipping answer number ' || i || ' about topic' || (i % 50)
                  from generate_series(1, 10000) as i, (select id from workspaces) as w""");
        System.out.printf("inserted 10,000 text blocks in %d ms%n", (System.nanoTime() - insertStart) / 1_000_000);
        // What autovacuum would soon do: fresh statistics, and the GIN index's pending list merged.
        sql("vacuum analyze text_blocks");
        created("/api/text-blocks", block("greet", "Greeting", "Hello {{customer.name}}, how can I help?", null));
        created("/api/text-blocks", block("GreenCard", "Visa questions", "Ask the consulate.", null));
        created("/api/text-blocks", block("greeting-long", "Long welcome", "Welcome aboard! We are glad you are here.", null));
        created("/api/text-blocks", block("welcome", "Warm welcome", "Greetings from the whole team.", null));
        created("/api/text-blocks", block("x-gre", "Not a prefix", "Nothing to see.", null));
        created("/api/text-blocks", block("refund", "Refund policy", "Our refund policy: a refund within 30 days, per refund policy.", null));
        created("/api/text-blocks", block("returns", "Returns", "See the policy on refund requests.", null));
        created("/api/text-blocks", block("refundonly", "Refunds", "A refund, nothing else.", null));
        created("/api/text-blocks", block("vip", "VIP refund policy", "The refund policy for VIPs.", billing));

        List<String> greAdmin = timed("gre", admin);
        assertThat(greAdmin).containsExactly("greet", "GreenCard", "greeting-long", "welcome");
        assertThat(timed("#GRE", outsider)).as("case-insensitive, # dropped").containsExactly("greet", "GreenCard", "greeting-long", "welcome");
        assertThat(timed("BULK0001", outsider)).containsExactly(IntStream.rangeClosed(10, 19)
                .mapToObj(i -> String.format("bulk%05d", i)).toArray(String[]::new));
        assertThat(timed("bulk1", outsider)).containsExactly("bulk10000");
        assertThat(timed("refund polic", admin)).containsExactly("refund", "vip", "returns");
        assertThat(timed("refund polic", outsider)).as("the Billing block is not the outsider's").containsExactly("refund", "returns");
        assertThat(timed("refund", outsider)).as("prefix matches, then blocks with the word")
                .containsExactly("refund", "refundonly", "returns");
        assertThat(timed("shipping", outsider)).as("10,000 equal matches: by shortcut")
                .containsExactly(IntStream.rangeClosed(1, 10).mapToObj(i -> String.format("bulk%05d", i)).toArray(String[]::new));
        assertThat(timed("topic7 shipping", outsider)).containsExactly(IntStream.range(0, 10)
                .mapToObj(i -> String.format("bulk%05d", 7 + 50 * i)).toArray(String[]::new));
        assertThat(timed("zzzqqq", outsider)).isEmpty();
        assertThat(timed("!!& | :* ()'", outsider)).as("operators are not words").isEmpty();
        assertThat(timed("", outsider)).containsExactly(IntStream.rangeClosed(1, 10)
                .mapToObj(i -> String.format("bulk%05d", i)).toArray(String[]::new));

        try (Ws ws = Ws.agent(node.port(), outsider)) {
            ws.await("hello");
            JsonObject result = ws.ack(new JsonObject().put("type", "textblocks.search").put("q", "gre"));
            assertThat(shortcutsOf(result)).containsExactly("greet", "GreenCard", "greeting-long", "welcome");
            JsonObject first = result.getJsonArray("results").getJsonObject(0);
            assertThat(first.getString("title")).isEqualTo("Greeting");
            assertThat(first.getString("body")).isEqualTo("Hello {{customer.name}}, how can I help?");
            assertThat(first.getString("id")).isNotEmpty();
            assertThat(shortcutsOf(ws.ack(new JsonObject().put("type", "textblocks.search").put("q", "zzzqqq")))).isEmpty();
            assertThat(shortcutsOf(ws.ack(new JsonObject().put("type", "textblocks.search")))).hasSize(10);
        }

        // The service itself, as the socket command calls it, timed without HTTP around it.
        Vertx vertx = Vertx.vertx();
        Pool pool = PgPools.create(vertx, node.env("SWITCHBOARD_PG_URL"), 2, "test");
        try {
            CatalogService catalog = new CatalogService(pool);
            String workspace = await(pool.query("select id from workspaces").execute()).iterator().next().getUUID(0).toString();
            Principal nobody = new Principal(UUID.randomUUID().toString(), workspace, "Nobody", Role.AGENT, Set.of());
            for (String q : List.of("gre", "bulk0001", "refund polic", "shipping", "zzzqqq")) {
                await(catalog.searchTextBlocks(nobody, q)); // warm-up: prepare the statement
                int runs = 20;
                long t0 = System.nanoTime();
                List<TextBlock> found = List.of();
                for (int i = 0; i < runs; i++) {
                    found = await(catalog.searchTextBlocks(nobody, q));
                }
                System.out.printf("CatalogService.searchTextBlocks(%s) over 10,009 blocks: %.2f ms on average, %d results%n",
                        q, (System.nanoTime() - t0) / 1e6 / runs, found.size());
            }
            assertThat(await(catalog.searchTextBlocks(nobody, "gre")).stream().map(TextBlock::shortcut))
                    .containsExactly("greet", "GreenCard", "greeting-long", "welcome");
            assertThat(await(catalog.searchTextBlocks(nobody, null))).hasSize(10);
        } finally {
            await(pool.close());
            await(vertx.close());
        }
    }

    /** The shortcuts found for {@code q}, the search timed (after one untimed run) and printed. */
    private List<String> timed(String q, String token) {
        shortcuts(q, token);
        long t0 = System.nanoTime();
        List<String> found = shortcuts(q, token);
        System.out.printf("GET /api/text-blocks?q=%s: %.1f ms, %d results%n", q, (System.nanoTime() - t0) / 1e6, found.size());
        return found;
    }

    // --- articles ---

    @Test
    void articlesAreCreatedByAdminsAndFoundByTheirWords() throws Exception {
        JsonObject a = created("/api/articles", new JsonObject().put("title", "Track your order")
                .put("body", "Open your account and choose Orders to track a parcel.").put("url", "https://help.example.com/track"));
        assertThat(a.fieldNames()).containsExactlyInAnyOrder("id", "title", "body", "url");
        JsonObject b = created("/api/articles", new JsonObject().put("title", "Return a parcel").put("body", "Print the label."));
        assertThat(b.getString("url")).isNull();
        JsonObject c = created("/api/articles", new JsonObject().put("title", "Change your password").put("body", "Open settings."));

        assertThat(titles(http.get("/api/articles", admin))).as("newest first")
                .containsExactly("Change your password", "Return a parcel", "Track your order");
        assertThat(titles(http.get("/api/articles?q=parc", admin))).containsExactlyInAnyOrder("Track your order", "Return a parcel");
        assertThat(titles(http.get("/api/articles?q=track+parcel", admin))).containsExactly("Track your order");
        assertThat(titles(http.get("/api/articles?q=nothing", admin))).isEmpty();
        assertThat(http.get("/api/articles/" + c.getString("id"), admin).body()).isEqualTo(c);

        for (JsonObject bad : List.of(
                new JsonObject().put("body", "B"),
                new JsonObject().put("title", "T"),
                new JsonObject().put("title", "T").put("body", " "),
                new JsonObject().put("title", "t".repeat(201)).put("body", "B"),
                new JsonObject().put("title", "T").put("body", "B").put("url", "javascript:alert(1)"),
                new JsonObject().put("title", "T").put("body", "B").put("url", "ftp://example.com/x"),
                new JsonObject().put("title", "T").put("body", "B").put("url", "not a url"),
                new JsonObject().put("title", "T").put("body", "B").put("url", "https://"))) {
            assertThat(http.post("/api/articles", bad, admin).errorCode()).as(bad.encode()).isEqualTo("bad_request");
        }
        assertThat(created("/api/articles", new JsonObject().put("title", "T").put("body", "B").put("url", "http://example.com"))
                .getString("url")).isEqualTo("http://example.com");

        String foreign = UUID.randomUUID().toString();
        otherWorkspace(UUID.randomUUID().toString(), foreign, UUID.randomUUID().toString());
        assertThat(http.get("/api/articles/" + foreign, admin).errorCode()).isEqualTo("not_found");
        assertThat(http.get("/api/articles/nope", admin).errorCode()).isEqualTo("not_found");
        assertThat(titles(http.get("/api/articles?q=greetings", admin))).isEmpty();

        Vertx vertx = Vertx.vertx();
        Pool pool = PgPools.create(vertx, node.env("SWITCHBOARD_PG_URL"), 1, "test");
        try {
            CatalogService catalog = new CatalogService(pool);
            assertThat(await(catalog.article(OTHER_WORKSPACE, foreign)).title()).isEqualTo("Foreign article");
            String workspace = await(pool.query("select id from workspaces where id <> '" + OTHER_WORKSPACE + "'").execute())
                    .iterator().next().getUUID(0).toString();
            assertThat(failure(catalog.article(workspace, foreign))).isEqualTo("not_found");
            assertThat(failure(catalog.article(workspace, "nope"))).isEqualTo("not_found");
            assertThat(await(catalog.article(workspace, a.getString("id"))).url()).isEqualTo("https://help.example.com/track");
        } finally {
            await(pool.close());
            await(vertx.close());
        }
    }

    private static List<String> titles(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().getJsonArray("results").stream().map(JsonObject.class::cast).map(o -> o.getString("title")).toList();
    }

    private static String failure(Future<?> f) throws InterruptedException {
        try {
            await(f);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause() instanceof Failure failure ? failure.code().wire() : e.getCause().toString();
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    // --- flows ---

    @Test
    void flowsAreCreatedByAdminsWithCheckedOptionsAndListed() throws Exception {
        JsonArray options = new JsonArray()
                .add(new JsonObject().put("id", "yes").put("label", "Yes, thanks"))
                .add(new JsonObject().put("id", "no").put("label", "No"));
        JsonObject f = created("/api/flows", new JsonObject().put("title", "Did this help?").put("options", options));
        assertThat(f.fieldNames()).containsExactlyInAnyOrder("id", "title", "options");
        assertThat(f.getJsonArray("options")).isEqualTo(options);
        created("/api/flows", new JsonObject().put("title", "Anything else?").put("options",
                new JsonArray().add(new JsonObject().put("id", "n").put("label", "Nothing"))));

        JsonArray flows = http.get("/api/flows", admin).body().getJsonArray("flows");
        assertThat(flows.stream().map(JsonObject.class::cast).map(o -> o.getString("title")))
                .containsExactly("Anything else?", "Did this help?");
        assertThat(flows.getJsonObject(1)).isEqualTo(f);
        assertThat(http.get("/api/flows/" + f.getString("id"), admin).body()).isEqualTo(f);

        List<JsonArray> badOptions = new ArrayList<>(List.of(
                new JsonArray(),
                new JsonArray().add(new JsonObject().put("id", "").put("label", "Empty id")),
                new JsonArray().add(new JsonObject().put("label", "No id")),
                new JsonArray().add(new JsonObject().put("id", "x".repeat(65)).put("label", "Long id")),
                new JsonArray().add(new JsonObject().put("id", "a").put("label", "")),
                new JsonArray().add(new JsonObject().put("id", "a").put("label", "l".repeat(201))),
                new JsonArray().add(new JsonObject().put("id", "a").put("label", "A")).add(new JsonObject().put("id", "a").put("label", "B")),
                new JsonArray().add("a"),
                new JsonArray().add(new JsonObject().put("id", 1).put("label", "A"))));
        JsonArray eleven = new JsonArray();
        IntStream.range(0, 11).forEach(i -> eleven.add(new JsonObject().put("id", "o" + i).put("label", "Option " + i)));
        badOptions.add(eleven);
        for (JsonArray bad : badOptions) {
            Http.Response r = http.post("/api/flows", new JsonObject().put("title", "T").put("options", bad), admin);
            assertThat(r.errorCode()).as(bad.encode() + " → " + r.raw()).isEqualTo("bad_request");
        }
        assertThat(http.post("/api/flows", new JsonObject().put("title", "T"), admin).errorCode()).isEqualTo("bad_request");
        assertThat(http.post("/api/flows", new JsonObject().put("title", "T").put("options", "yes,no"), admin).errorCode())
                .isEqualTo("bad_request");
        assertThat(http.post("/api/flows", new JsonObject().put("title", "").put("options", options), admin).errorCode())
                .isEqualTo("bad_request");
        JsonArray ten = new JsonArray();
        IntStream.range(0, 10).forEach(i -> ten.add(new JsonObject().put("id", "x".repeat(64 - 1) + i).put("label", "l".repeat(200))));
        assertThat(created("/api/flows", new JsonObject().put("title", "Ten").put("options", ten)).getJsonArray("options")).hasSize(10);

        String foreign = UUID.randomUUID().toString();
        otherWorkspace(UUID.randomUUID().toString(), UUID.randomUUID().toString(), foreign);
        assertThat(http.get("/api/flows/" + foreign, admin).errorCode()).isEqualTo("not_found");
        assertThat(http.get("/api/flows/nope", admin).errorCode()).isEqualTo("not_found");
        assertThat(http.get("/api/flows", admin).body().getJsonArray("flows")).hasSize(3);

        Vertx vertx = Vertx.vertx();
        Pool pool = PgPools.create(vertx, node.env("SWITCHBOARD_PG_URL"), 1, "test");
        try {
            CatalogService catalog = new CatalogService(pool);
            assertThat(await(catalog.flow(OTHER_WORKSPACE, foreign)).option("a")).isPresent();
            String workspace = await(pool.query("select id from workspaces where id <> '" + OTHER_WORKSPACE + "'").execute())
                    .iterator().next().getUUID(0).toString();
            assertThat(failure(catalog.flow(workspace, foreign))).isEqualTo("not_found");
            assertThat(failure(catalog.flow(workspace, "not-a-uuid"))).isEqualTo("not_found");
            assertThat(await(catalog.flow(workspace, f.getString("id"))).option("yes").orElseThrow().label()).isEqualTo("Yes, thanks");
        } finally {
            await(pool.close());
            await(vertx.close());
        }
    }
}
