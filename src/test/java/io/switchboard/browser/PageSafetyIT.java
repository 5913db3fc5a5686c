package io.switchboard.browser;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user types is shown as text on both sides; the pages carry a CSP; a bad widget key says why. */
class PageSafetyIT extends BrowserTestBase {
    private static final String HOSTILE = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b> & <script>window.__pwned=2</script>";

    @Test
    void typedMarkupIsShownAsTextNeverRun() {
        ConsolePage agent = adminConsole("console");
        WidgetPage customer = customerWhoWrote(HOSTILE);

        String conversationId = agent.awaitRing();
        agent.answerRing(conversationId);
        agent.awaitTimeline("message", "<b>bold</b> & <script>");
        agent.click("assign");
        agent.send("<i>reply</i>");
        customer.awaitMessage("<i>reply</i>");

        assertThat(agent.script("return window.__pwned")).isNull();
        assertThat(customer.script("return window.__pwned")).isNull();
        assertThat(agent.driver.findElements(By.cssSelector("[data-testid=timeline] b, [data-testid=timeline] script"))).isEmpty();
        assertThat(customer.root().findElements(By.cssSelector("[data-testid=messages] b, [data-testid=messages] i"))).isEmpty();
    }

    @Test
    void pagesCarryAContentSecurityPolicy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/", "/console/", "/widget.js"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("content-security-policy")).as(path).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
        }
    }

    @Test
    void aWidgetWithAnUnknownKeyStaysOffAndSaysWhy() {
        WidgetPage customer = widget("widget");
        customer.open(base() + "/?widget=wk_not-a-real-key");
        String why = customer.waitUntil("the reason in the browser console", () -> customer.consoleLog().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("wk_not-a-real-key") && m.toLowerCase().contains("widget key"))
                .findFirst().orElse(null));
        assertThat(why).containsIgnoringCase("switchboard");
        assertThat(customer.driver.findElements(By.id("switchboard-widget")).stream()
                .flatMap(host -> host.getShadowRoot().findElements(Browser.id("launcher")).stream())).isEmpty();
    }
}
