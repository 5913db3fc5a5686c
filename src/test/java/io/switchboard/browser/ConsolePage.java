package io.switchboard.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;

/** The agent console at {@code /console}. */
final class ConsolePage extends Browser {

    ConsolePage(String name) {
        super(name);
    }

    @Override
    SearchContext root() {
        return driver;
    }

    void login(String base, String email, String password) {
        driver.get(base + "/console");
        visible("login-email").sendKeys(email);
        visible("login-password").sendKeys(password);
        click("login-submit");
        waitFor("console online", r -> r.findElements(id("connection")).stream()
                .anyMatch(e -> "online".equals(e.getAttribute("data-state"))));
    }

    /**
     * Records the browser notifications the console shows (headless Chromium draws none), keeping
     * them real: the page's own Notification does the work, the spy only remembers each one.
     */
    void spyOnNotifications() {
        script("const N = window.Notification; window.__shown = [];"
                + "window.Notification = class extends N { constructor(t, o) { super(t, o); window.__shown.push(this); } };");
    }

    /** Waits for a browser notification about the conversation and clicks it. */
    void clickNotification(String conversationId) {
        waitUntil("a browser notification for " + conversationId, () -> Boolean.TRUE.equals(script(
                "return window.__shown.some(n => n.tag.includes(arguments[0]) && n.body.length > 0)", conversationId)));
        script("window.__shown.filter(n => n.tag.includes(arguments[0])).pop().dispatchEvent(new Event('click'))",
                conversationId);
        awaitOpen(conversationId);
    }

    /** Waits for the in-page ring of a conversation and clicks it: the conversation opens. */
    void answerRing(String conversationId) {
        waitFor("ring of " + conversationId, r -> r.findElements(By.cssSelector(
                "[data-testid=ring][data-id='" + conversationId + "']")).stream().filter(WebElement::isDisplayed)
                .findFirst().orElse(null)).click();
        awaitOpen(conversationId);
    }

    /** Waits for a ring (of any conversation) and returns its conversation id. */
    String awaitRing() {
        return waitFor("a ring", r -> r.findElements(id("ring")).stream().filter(WebElement::isDisplayed)
                .map(e -> e.getAttribute("data-id")).filter(s -> s != null && !s.isEmpty()).findFirst().orElse(null));
    }

    WebElement awaitOpen(String conversationId) {
        return waitFor("conversation " + conversationId + " open", r -> r.findElements(By.cssSelector(
                "[data-testid=conversation][data-id='" + conversationId + "']")).stream().findFirst().orElse(null));
    }

    void awaitStatus(String conversationId, String status) {
        waitFor("conversation " + conversationId + " " + status, r -> r.findElements(By.cssSelector(
                "[data-testid=conversation][data-id='" + conversationId + "'][data-status='" + status + "']"))
                .isEmpty() ? null : true);
    }

    void tab(String name) {
        click("tab-" + name);
    }

    WebElement item(String conversationId) {
        return waitFor("inbox item " + conversationId, r -> r.findElements(By.cssSelector(
                "[data-testid=conversation-item][data-id='" + conversationId + "']")).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    void type(String text) {
        visible("composer").sendKeys(text);
    }

    void send(String text) {
        type(text);
        click("send");
    }

    void notes(boolean on) {
        WebElement toggle = visible("notes-switch");
        if (toggle.isSelected() != on) {
            toggle.click();
        }
    }

    /** Types {@code #query} in the composer, picks the first result and returns the composer's text. */
    String insertTextBlock(String query) {
        type("#" + query);
        visible("textblock-option").click();
        return waitFor("text block inserted", r -> {
            String value = visible("composer").getDomProperty("value");
            return value != null && !value.contains("#" + query) && !value.isBlank() ? value : null;
        });
    }

    void upload(Path file) {
        find("file-input").sendKeys(file.toAbsolutePath().toString());
    }

    List<WebElement> timelineWith(String testId, String text) {
        return all(testId).stream().filter(m -> m.getText().contains(text)).toList();
    }

    WebElement awaitTimeline(String testId, String text) {
        return waitFor("one " + testId + " with \"" + text + "\"", r -> {
            List<WebElement> found = timelineWith(testId, text);
            return found.size() == 1 ? found.get(0) : null;
        });
    }

    void awaitInvite(String kind, String state) {
        waitFor("invite " + kind + " " + state, r -> r.findElements(By.cssSelector(
                "[data-testid=invite-state][data-kind='" + kind + "'][data-state='" + state + "']")).isEmpty() ? null : true);
    }

    void select(String testId, String value) {
        new Select(visible(testId)).selectByValue(value);
    }

    void enter() {
        visible("composer").sendKeys(Keys.ENTER);
    }
}
