package io.switchboard.toolkit;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Http;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Text blocks found by "#", articles, flows and files, end to end through both sockets. */
class SpecialMessagesIT extends NodeTestBase {
    private Ws customer;
    private Ws agent;
    private String conv;

    @BeforeEach
    void start() {
        customer = Ws.connect(node.port(), "/ws/customer?widget=" + node.widgetKey() + "&name=Ana");
        customer.await("hello");
        agent = Ws.agent(node.port(), fx.adminToken());
        agent.await("hello");
        conv = customer.ack(customerMessage("1", "hola")).getString("conversationId");
        agent.ack(frame("conversation.assign", conv));
    }

    @AfterEach
    void stop() {
        customer.close();
        agent.close();
    }

    private JsonObject create(String path, JsonObject body) {
        Http.Response r = node.http().post(path, body, fx.adminToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body();
    }

    private JsonObject nextMessageOfKind(Ws ws, String kind) {
        return ws.await(f -> "message".equals(f.getString("type")) && kind.equals(f.getJsonObject("message").getString("kind")))
                .getJsonObject("message");
    }

    @Test
    void aTextBlockFoundByHashIsSentWithItsPlaceholdersFilledIn() {
        create("/api/text-blocks", new JsonObject().put("shortcut", "greet").put("title", "Greeting")
                .put("body", "Hola {{customer.name}}, soy {{agent.name}}. ¿En qué puedo ayudarte?"));
        create("/api/text-blocks", new JsonObject().put("shortcut", "bye").put("title", "Goodbye").put("body", "Gracias, {{customer.name}}"));
        JsonArray results = agent.ack(new JsonObject().put("type", "textblocks.search").put("q", "gre")).getJsonArray("results");
        assertThat(results).hasSize(1);
        String blockId = results.getJsonObject(0).getString("id");
        agent.ack(frame("message", conv).put("clientMsgId", "tb").put("kind", "textblock")
                .put("payload", new JsonObject().put("textBlockId", blockId)));
        JsonObject m = nextMessageOfKind(customer, "textblock");
        assertThat(m.getString("text")).isEqualTo("Hola Ana, soy Admin. ¿En qué puedo ayudarte?");
        assertThat(agent.errorCode(frame("message", conv).put("clientMsgId", "tb2").put("kind", "textblock")
                .put("payload", new JsonObject().put("textBlockId", java.util.UUID.randomUUID().toString())))).isEqualTo("not_found");
    }

    @Test
    void anArticleReachesTheCustomerWithTitleUrlAndSnippet() {
        String id = create("/api/articles", new JsonObject().put("title", "Cómo rastrear tu pedido")
                .put("body", "Entra en tu cuenta y abre Pedidos. " + "Detalle. ".repeat(60)).put("url", "https://help.example.com/track"))
                .getString("id");
        agent.ack(frame("message", conv).put("clientMsgId", "art").put("kind", "article")
                .put("payload", new JsonObject().put("articleId", id)));
        JsonObject payload = nextMessageOfKind(customer, "article").getJsonObject("payload");
        assertThat(payload.getString("articleId")).isEqualTo(id);
        assertThat(payload.getString("title")).isEqualTo("Cómo rastrear tu pedido");
        assertThat(payload.getString("url")).isEqualTo("https://help.example.com/track");
        assertThat(payload.getString("snippet")).startsWith("Entra en tu cuenta").hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void aFlowOffersChoicesAndTheCustomersChoiceComesBackAsAMessageNamingTheOption() {
        String flowId = create("/api/flows", new JsonObject().put("title", "¿Qué necesitas?").put("options", new JsonArray()
                .add(new JsonObject().put("id", "track").put("label", "Rastrear un pedido"))
                .add(new JsonObject().put("id", "return").put("label", "Devolver un producto")))).getString("id");
        agent.ack(frame("message", conv).put("clientMsgId", "flow").put("kind", "flow")
                .put("payload", new JsonObject().put("flowId", flowId)));
        JsonObject offered = nextMessageOfKind(customer, "flow").getJsonObject("payload");
        assertThat(offered.getString("title")).isEqualTo("¿Qué necesitas?");
        assertThat(offered.getJsonArray("options")).hasSize(2);

        assertThat(customer.errorCode(new JsonObject().put("type", "message").put("clientMsgId", "bad")
                .put("payload", new JsonObject().put("flowId", flowId).put("optionId", "nope")))).isEqualTo("bad_request");
        customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "choice")
                .put("payload", new JsonObject().put("flowId", flowId).put("optionId", "return")));
        JsonObject answer = agent.await(f -> "message".equals(f.getString("type"))
                && "choice".equals(f.getJsonObject("message").getString("clientMsgId"))).getJsonObject("message");
        assertThat(answer.getString("text")).isEqualTo("Devolver un producto");
        assertThat(answer.getJsonObject("payload").getString("flowId")).isEqualTo(flowId);
        assertThat(answer.getJsonObject("payload").getString("optionId")).isEqualTo("return");
    }

    @Test
    void aCustomersUploadIsSentAsAFileMessageOfTheKindItsBytesSay() {
        String token = customer.received().get(0).getJsonObject("visitor").getString("token");
        byte[] pdf = "%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Http.Response up = node.http().upload("/api/attachments?token=" + token, "invoice.pdf", "image/png", pdf, null);
        assertThat(up.status()).as(up.raw()).isEqualTo(201);
        assertThat(up.body().getString("contentType")).isEqualTo("application/pdf");
        customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "file").put("attachmentId", up.body().getString("id")));
        JsonObject m = nextMessageOfKind(agent, "file");
        assertThat(m.getJsonObject("attachment").getString("name")).isEqualTo("invoice.pdf");
        assertThat(m.getJsonObject("attachment").getLong("size")).isEqualTo(pdf.length);
        var bytes = node.http().getBytes(m.getJsonObject("attachment").getString("url"), fx.adminToken());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(pdf);
        assertThat(agent.errorCode(frame("message", conv).put("clientMsgId", "steal").put("kind", "file")
                .put("attachmentId", up.body().getString("id")))).as("an agent cannot send the customer's upload as its own")
                .isEqualTo("not_found");
    }
}
