package io.switchboard.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NotFoundException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromedriver}; nothing is downloaded).
 * Elements are found by their {@code data-testid}; every wait is for a condition on the page,
 * never a sleep. Subclasses say where their elements live (the page, or the widget's shadow root).
 */
abstract class Browser implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final String name;
    final ChromeDriver driver;

    Browser(String name) {
        this.name = name;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("CHROME_BIN", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,860", "--autoplay-policy=no-user-gesture-required");
        // Notifications allowed, as an agent who clicked "Allow" would have them.
        options.setExperimentalOption("prefs", Map.of("profile.default_content_setting_values.notifications", 1));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
    }

    private static String executable(String env, String fallback) {
        String path = System.getenv(env);
        return path != null && !path.isBlank() ? path : fallback;
    }

    /** Where this page object's elements are searched (the document, or a shadow root). */
    abstract SearchContext root();

    static By id(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    WebElement find(String testId) {
        return waitFor("[data-testid=" + testId + "]", r -> {
            List<WebElement> found = r.findElements(id(testId));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    WebElement visible(String testId) {
        return waitFor(testId + " visible", r -> r.findElements(id(testId)).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    List<WebElement> all(String testId) {
        return root().findElements(id(testId));
    }

    /** Waits until {@code condition} gives a non-null, non-false value, re-reading the page each time. */
    <T> T waitFor(String what, Function<SearchContext, T> condition) {
        return waitUntil(what, () -> condition.apply(root()));
    }

    /** Waits until {@code condition} gives a non-null, non-false value; elements not there yet count as not yet. */
    <T> T waitUntil(String what, Supplier<T> condition) {
        try {
            return new WebDriverWait(driver, TIMEOUT).withMessage(name + ": " + what)
                    .ignoring(StaleElementReferenceException.class)
                    .ignoring(NotFoundException.class)
                    .until(d -> {
                        T value = condition.get();
                        return Boolean.FALSE.equals(value) ? null : value;
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(name + ": timed out waiting for " + what, e);
        }
    }

    void click(String testId) {
        visible(testId).click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println(name + ": no screenshot: " + e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
