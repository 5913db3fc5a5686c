package io.switchboard.protocol;

import io.switchboard.domain.Author;
import io.switchboard.domain.ConversationStatus;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Message;
import io.switchboard.domain.MessageKind;
import io.switchboard.domain.Note;
import io.switchboard.domain.Ref;
import io.switchboard.domain.VisitorInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The golden frames under src/test/resources/golden are part of the protocol: they decode and encode exactly so. */
class GoldenFramesTest {
    private static final FrameDecoder CUSTOMER = new FrameDecoder(FrameDecoder.Role.CUSTOMER, 10_000);
    private static final FrameDecoder AGENT = new FrameDecoder(FrameDecoder.Role.AGENT, 10_000);

    private static String resource(String name) throws IOException {
        try (InputStream in = GoldenFramesTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static FrameDecoder decoder(String role) {
        return "customer".equals(role) ? CUSTOMER : AGENT;
    }

    @Test
    void everyGoldenClientFrameDecodesToItsRecordAndKeepsItsRef() throws IOException {
        JsonArray cases = new JsonArray(resource("client-frames.json"));
        assertThat(cases).hasSizeGreaterThan(15);
        for (Object o : cases) {
            JsonObject c = (JsonObject) o;
            JsonObject frame = c.getJsonObject("frame");
            Decoded d = decoder(c.getString("role")).decode(frame.encode());
            assertThat(d.type()).isEqualTo(frame.getString("type"));
            assertThat(d.ref()).isEqualTo(frame.getString("ref"));
            assertThat(d.frame().toString()).as(frame.encode()).isEqualTo(c.getString("record"));
        }
    }

    @Test
    void everyGoldenBadFrameIsABadRequestWithTheRefWhenItCouldBeRead() throws IOException {
        for (Object o : new JsonArray(resource("bad-frames.json"))) {
            JsonObject c = (JsonObject) o;
            assertThatThrownBy(() -> decoder(c.getString("role")).decode(c.getString("text")))
                    .as(c.getString("text"))
                    .isInstanceOfSatisfying(FrameDecoder.BadFrame.class, e -> {
                        assertThat(e.ref()).isEqualTo(c.getString("ref"));
                        assertThat(e.getMessage()).contains(c.getString("message"));
                    });
        }
    }

    @Test
    void textIsLimitedInCharactersNotUtf16Units() {
        FrameDecoder small = new FrameDecoder(FrameDecoder.Role.CUSTOMER, 3);
        String threeEmoji = "😀😀😀";
        assertThat(small.decode(new JsonObject().put("type", "message").put("clientMsgId", "a").put("text", threeEmoji).encode())
                .frame()).isEqualTo(new ClientFrame.CustomerMessage("a", threeEmoji, null, null));
        assertThatThrownBy(() -> small.decode(new JsonObject().put("type", "message").put("clientMsgId", "a").put("text", "abcd").encode()))
                .isInstanceOf(FrameDecoder.BadFrame.class).hasMessageContaining("longer than 3");
    }

    @Test
    void serverFramesEncodeAsTheGoldenOnes() throws IOException {
        JsonObject golden = new JsonObject(resource("server-frames.json"));
        Message m = new Message("m1", "c1", 2, 1_700_000_000_000L, "x", new Author(Author.AGENT, "a1", "Ana"),
                MessageKind.TEXT, "Hello", null, null);
        ConversationSummary s = new ConversationSummary("c1", "w1", ConversationStatus.OPEN, new Ref("a1", "Ana"),
                new Ref("t1", "Support"), new VisitorInfo("v1", "Eva", null), 1_700_000_000_000L, 2, null, 1);
        Note n = new Note("n1", "c1", 1_700_000_000_000L, new Ref("a1", "Ana"), "VIP", "k");

        assertThat(new JsonObject(Frames.ack("r1", new JsonObject().put("seq", 1)))).isEqualTo(golden.getJsonObject("ack"));
        assertThat(new JsonObject(Frames.error(null, ErrorCode.BAD_REQUEST, "the frame is not a JSON object")))
                .isEqualTo(golden.getJsonObject("error"));
        assertThat(new JsonObject(Frames.message(m, Audience.CUSTOMER))).isEqualTo(golden.getJsonObject("messageForCustomer"));
        assertThat(new JsonObject(Frames.message(m, Audience.AGENT))).isEqualTo(golden.getJsonObject("messageForAgent"));
        assertThat(new JsonObject(Frames.customerStatus("c1", "done"))).isEqualTo(golden.getJsonObject("customerStatus"));
        assertThat(Views.summary(s, Audience.CUSTOMER)).isEqualTo(golden.getJsonObject("summaryForCustomer"));
        assertThat(Views.summary(s, Audience.AGENT)).isEqualTo(golden.getJsonObject("summaryForAgent"));
        assertThat(new JsonObject(Frames.note(n))).isEqualTo(golden.getJsonObject("note"));
    }
}
