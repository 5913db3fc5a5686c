package io.switchboard.browser;

import io.switchboard.embedded.FreePort;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node on a fixed free port (so that a restarted node is where the browsers left it) and the
 * browsers of one test, closed after it. A failed test leaves a screenshot of every browser under
 * {@code target/browser-failures/}.
 */
abstract class BrowserTestBase extends NodeTestBase {
    private static final Path FAILURES = Path.of("target", "browser-failures");
    /** Where the screenshots for the docs go: {@code -Dscreenshots.dir=docs/screenshots} refreshes the README's. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

    private final List<Browser> browsers = new ArrayList<>();

    @RegisterExtension
    final AfterTestExecutionCallback screenshotsOnFailure = context -> {
        if (context.getExecutionException().isPresent()) {
            String test = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
            for (Browser b : browsers) {
                b.screenshot(FAILURES.resolve(test + "-" + b.name + ".png"));
                System.err.println(b.name + " at " + b.driver.getCurrentUrl());
                b.consoleLog().forEach(e -> System.err.println(b.name + " console: " + e));
            }
        }
    };

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_HTTP_PORT", String.valueOf(FreePort.find()));
    }

    WidgetPage widget(String name) {
        return keep(new WidgetPage(name));
    }

    ConsolePage console(String name) {
        return keep(new ConsolePage(name));
    }

    /** A console logged in as the seeded admin, connected. */
    ConsolePage adminConsole(String name) {
        ConsolePage console = console(name);
        console.login(base(), TestNode.ADMIN_EMAIL, TestNode.ADMIN_PASSWORD);
        return console;
    }

    /** A customer on the demo page who opened the chat and wrote {@code text}, stored. */
    WidgetPage customerWhoWrote(String text) {
        WidgetPage customer = widget("widget");
        customer.open(base() + "/");
        customer.openChat();
        customer.send(text);
        customer.awaitSent(text);
        return customer;
    }

    private <B extends Browser> B keep(B browser) {
        browsers.add(browser);
        return browser;
    }

    @AfterEach
    final void closeBrowsers() {
        browsers.forEach(Browser::close);
    }

    String base() {
        return node.httpBase();
    }

    /** A small real PNG (a picture an agent would send), written under target/. */
    static Path picture(String name) {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x2f6fde));
        g.fillRect(0, 0, 120, 80);
        g.setColor(Color.WHITE);
        g.fillOval(40, 20, 40, 40);
        g.dispose();
        try {
            Path file = Path.of("target", "browser-files", name).toAbsolutePath();
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
