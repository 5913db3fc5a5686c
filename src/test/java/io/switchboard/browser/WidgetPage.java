package io.switchboard.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

/** The demo page at {@code /} with the widget, whose elements live in the widget's open shadow root. */
final class WidgetPage extends Browser {

    WidgetPage(String name) {
        super(name);
    }

    void open(String url) {
        driver.get(url);
    }

    @Override
    SearchContext root() {
        List<WebElement> host = driver.findElements(By.id("switchboard-widget"));
        if (host.isEmpty()) {
            throw new org.openqa.selenium.NoSuchElementException("no widget on the page (yet)");
        }
        return host.get(0).getShadowRoot();
    }

    /** Opens the chat panel and waits until the widget is connected. */
    void openChat() {
        click("launcher");
        visible("panel");
        awaitOnline();
    }

    void awaitOnline() {
        waitFor("connection online", r -> r.findElements(id("connection")).stream()
                .anyMatch(e -> "online".equals(e.getAttribute("data-state"))));
    }

    void send(String text) {
        WebElement composer = visible("composer");
        composer.sendKeys(text);
        click("send");
    }

    /** The message items whose text contains {@code text}. */
    List<WebElement> messagesWith(String text) {
        return all("message").stream().filter(m -> m.getText().contains(text)).toList();
    }

    /** Waits until exactly one message contains {@code text} and returns it. */
    WebElement awaitMessage(String text) {
        return waitFor("one message with \"" + text + "\"", r -> {
            List<WebElement> found = messagesWith(text);
            return found.size() == 1 ? found.get(0) : null;
        });
    }

    /** Waits until the customer's own message with {@code text} is acknowledged (stored). */
    WebElement awaitSent(String text) {
        return waitFor("\"" + text + "\" sent", r -> {
            List<WebElement> found = messagesWith(text);
            return found.size() == 1 && "sent".equals(found.get(0).getAttribute("data-state")) ? found.get(0) : null;
        });
    }

    void upload(Path file) {
        find("file-input").sendKeys(file.toAbsolutePath().toString());
    }

    /** Everything in the widget's shadow root and the page, as markup: what a customer's browser holds. */
    String everything() {
        return (String) script("const h = document.getElementById('switchboard-widget');"
                + "return document.documentElement.outerHTML + (h && h.shadowRoot ? h.shadowRoot.innerHTML : '');");
    }
}
