package io.switchboard.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Logs carry ids, never what people wrote, nor tokens or passwords. */
class LogHygieneIT {

    @Test
    void noLogLineOfAConversationContainsMessageTextATokenOrAPassword() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.switchboard");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ch.qos.logback.classic.Level before = ours.getLevel();
        ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
        String text = "my card number is 4111-secret-text";
        String note = "internal-note-secret";
        String agentToken;
        String visitorToken;
        TestNode node = TestNode.start();
        try {
            Fixtures fx = new Fixtures(node);
            agentToken = fx.adminToken();
            try (Ws c = Ws.customer(node.port(), node.widgetKey(), null); Ws agent = Ws.agent(node.port(), agentToken)) {
                visitorToken = c.await("hello").getJsonObject("visitor").getString("token");
                agent.await("hello");
                String conv = c.ack(customerMessage("1", text)).getString("conversationId");
                agent.ack(frame("conversation.assign", conv));
                agent.ack(frame("note", conv).put("clientMsgId", "n").put("text", note));
                agent.ack(agentMessage(conv, "a", text + " reply"));
                c.sendRaw("{\"type\":\"message\",\"text\":\"" + text + "\"");
                c.await("error");
                agent.errorCode(frame("conversation.transfer", conv).put("toAgentId", "nobody").put("comment", text));
                node.http().get("/api/me", "Bearer-garbage-" + text);
                Ws.refusedStatus(node.port(), "/ws/customer?widget=" + node.widgetKey() + "&token=" + visitorToken + "x");
                Ws.refusedStatus(node.port(), "/ws/agent?token=" + agentToken + "x");
            }
        } finally {
            node.close();
            root.detachAppender(captured);
            ours.setLevel(before);
        }
        List<String> lines = captured.list.stream()
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
                .toList();
        assertThat(lines).as("something was logged").isNotEmpty();
        assertThat(lines).noneMatch(l -> l.contains("secret-text"))
                .noneMatch(l -> l.contains(note))
                .noneMatch(l -> l.contains(agentToken))
                .noneMatch(l -> l.contains(visitorToken))
                .noneMatch(l -> l.contains(TestNode.ADMIN_PASSWORD));
    }
}
