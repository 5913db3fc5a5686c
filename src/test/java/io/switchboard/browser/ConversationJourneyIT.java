package io.switchboard.browser;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole journey the seed article describes, in real browsers: a customer writes from the demo
 * page; the agent's console rings, the agent assigns the conversation to itself and replies with
 * text, a text block found with {@code #} and a picture; writes a note the widget never receives;
 * invites to a video call which the customer accepts; transfers to another team whose agent picks
 * it up and resolves it, and it moves to Done.
 */
class ConversationJourneyIT extends BrowserTestBase {

    @Test
    void aCustomerIsHelpedFromFirstMessageToDone() {
        String billing = fx.createTeam("Billing", "manual");
        String beaId = fx.createAgent("bea@test.local", "agent");
        fx.setMembers(billing, List.of(beaId));
        assertThat(node.http().post("/api/text-blocks", new JsonObject().put("shortcut", "shipping")
                .put("title", "Shipping times").put("body", "Orders ship within 2 business days."), fx.adminToken())
                .status()).isEqualTo(201);

        ConsolePage admin = adminConsole("console-admin");
        ConsolePage bea = console("console-bea");
        bea.login(base(), "bea@test.local", "password-bea@test.local");
        bea.spyOnNotifications();

        WidgetPage customer = customerWhoWrote("Hello, my order 1042 is late");

        // The console rings; answering the ring opens the conversation; "Assign to me".
        String conversationId = admin.awaitRing();
        admin.answerRing(conversationId);
        admin.awaitTimeline("message", "Hello, my order 1042 is late");
        admin.click("assign");
        customer.visible("agent-joined");

        admin.send("Let me check that for you.");
        customer.awaitMessage("Let me check that for you.");

        assertThat(admin.insertTextBlock("ship")).contains("Orders ship within 2 business days.");
        admin.click("send");
        customer.awaitMessage("Orders ship within 2 business days.");

        admin.upload(picture("parcel.png"));
        WebElement picture = customer.waitFor("the picture shown", r -> r.findElements(By.cssSelector(
                "[data-testid=message][data-kind=image] img")).stream()
                .filter(img -> Boolean.TRUE.equals(customer.script(
                        "return arguments[0].complete && arguments[0].naturalWidth > 0", img)))
                .findFirst().orElse(null));
        assertThat(picture).isNotNull();

        // A note: shown to agents as internal, never sent to the widget. The message after it proves
        // the widget has received everything sent before.
        admin.notes(true);
        admin.send("VIP customer, offer free shipping");
        admin.awaitTimeline("note", "VIP customer, offer free shipping");
        admin.notes(false);
        admin.send("I have asked the warehouse.");
        customer.awaitMessage("I have asked the warehouse.");
        assertThat(customer.everything()).doesNotContain("VIP customer");

        // An invitation the customer accepts; the console shows it accepted.
        admin.click("action-video_call");
        WebElement invite = customer.waitFor("video call invite", r -> r.findElements(By.cssSelector(
                "[data-testid=invite][data-kind=video_call][data-state=pending]")).stream().findFirst().orElse(null));
        invite.findElement(Browser.id("invite-accept")).click();
        admin.awaitInvite("video_call", "accepted");
        customer.visible("invite-active");
        screenshots(admin, customer, "conversation");

        // Transfer to the Billing team with a comment: Bea's console rings, she takes it and resolves it.
        admin.click("transfer");
        admin.visible("transfer-dialog");
        admin.waitFor("Bea online with no conversations", r -> r.findElements(By.cssSelector(
                "[data-testid=transfer-agent][data-id='" + beaId + "'][data-presence=online]")).stream()
                .filter(e -> e.getText().contains("0/")).findFirst().orElse(null));
        admin.waitFor("Billing in the transfer dialog", r -> r.findElements(By.cssSelector(
                "[data-testid=transfer-team][data-id='" + billing + "']")).stream().findFirst().orElse(null)).click();
        admin.visible("transfer-comment").sendKeys("Refund question, over to Billing");
        admin.screenshot(SCREENSHOTS.resolve("console-transfer.png"));
        admin.click("transfer-submit");

        // Bea's console rings; she answers from the browser notification.
        bea.waitFor("ring for Bea", r -> r.findElements(By.cssSelector("[data-testid=ring][data-id='" + conversationId + "']"))
                .isEmpty() ? null : true);
        bea.waitFor("one unread conversation in Unassigned", r -> "1".equals(r.findElement(By.cssSelector(
                "[data-testid=tab-unassigned] [data-testid=count]")).getText()));
        bea.clickNotification(conversationId);
        bea.click("assign");
        customer.waitFor("bea joined", r -> customer.all("agent-joined").stream().anyMatch(e -> e.getText().contains("bea")));
        bea.send("Hi, this is Bea from Billing.");
        customer.awaitMessage("Hi, this is Bea from Billing.");

        bea.click("resolve");
        bea.awaitStatus(conversationId, "done");
        bea.tab("done");
        bea.item(conversationId);
        customer.visible("conversation-ended");

        // Every message reached the customer once, in order.
        List<String> said = List.of("Hello, my order 1042 is late", "Let me check that for you.",
                "Orders ship within 2 business days.", "I have asked the warehouse.", "Hi, this is Bea from Billing.");
        said.forEach(text -> assertThat(customer.messagesWith(text)).as(text).hasSize(1));
        List<Integer> seqs = customer.all("message").stream().map(m -> m.getAttribute("data-seq"))
                .filter(s -> s != null && !s.isEmpty()).map(Integer::valueOf).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }

    /** The pictures the README shows, taken from this journey. */
    private static void screenshots(ConsolePage console, WidgetPage widget, String moment) {
        console.screenshot(SCREENSHOTS.resolve("console-" + moment + ".png"));
        widget.screenshot(SCREENSHOTS.resolve("widget-" + moment + ".png"));
    }
}
