package io.kchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;

/**
 * The browser test infrastructure itself, on the page the gateway serves today: Swagger UI at {@code /docs}, whose
 * scripts render the operations of {@code /openapi} only when JavaScript really runs. Also checks what the web-client
 * tests rely on: the console errors are really captured, the viewports are the ones asked for, and two browsers
 * share no storage.
 */
class BrowserSmokeIT {

    private static final Path SCREENSHOTS = Path.of("target", "browser");

    @TempDir
    static Path stateDir;
    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("browser", stateDir);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + stack.port() + path;
    }

    @Test
    void swaggerUiRendersTheApiWithoutConsoleErrors() {
        try (Browser browser = new Browser()) {
            browser.open(url("/docs"));
            String title = browser.waitFor(By.cssSelector(".swagger-ui .info .title")).getText();
            assertTrue(title.startsWith("kchat client API"), title);
            // an operation block exists only after the script fetched /openapi and rendered it
            String register = browser.waitFor(By.cssSelector(".opblock-summary-path[data-path='/v1/auth/register']"))
                    .getText();
            assertTrue(register.contains("/v1/auth/register"), register);

            Path screenshot = browser.screenshot(SCREENSHOTS.resolve("swagger-ui.png"));
            assertTrue(isPng(screenshot), "a PNG at " + screenshot.toAbsolutePath());
            assertEquals(List.of(), messages(browser.consoleErrors()), "console errors on /docs");
        }
    }

    /** Without this, "no console errors" could also mean "errors are not collected". */
    @Test
    void uncaughtErrorsAndContentSecurityPolicyViolationsReachTheConsoleLog() {
        try (Browser browser = new Browser()) {
            browser.open("data:text/html," + URLEncoder.encode("<meta http-equiv='Content-Security-Policy' "
                    + "content=\"script-src 'none'\"><script>document.title = 'ran'</script>", StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            ((JavascriptExecutor) browser.driver()).executeScript("setTimeout(() => { throw new Error('smoke boom'); })");
            List<String> errors = browser.waitFor(driver -> {
                List<String> seen = messages(browser.consoleErrors());
                return seen.size() >= 2 ? seen : null;
            });
            assertTrue(errors.stream().anyMatch(m -> m.contains("Content Security Policy")), errors.toString());
            assertTrue(errors.stream().anyMatch(m -> m.contains("smoke boom")), errors.toString());
            assertEquals("", browser.driver().getTitle(), "the inline script was blocked");
        }
    }

    @Test
    void eachBrowserHasItsOwnViewportAndStorage() {
        try (Browser desktop = new Browser(); Browser phone = new Browser(Browser.Viewport.PHONE)) {
            // a phone lays out a page without a meta viewport 980 px wide, as real phones do; the web client has one
            String page = "data:text/html,<meta name=viewport content='width=device-width'><p>viewport";
            desktop.open(page);
            phone.open(page);
            assertEquals(List.of(1280L, 900L, 1L), viewport(desktop));
            assertEquals(List.of(390L, 844L, 3L), viewport(phone));

            desktop.open(url("/docs"));
            phone.open(url("/docs"));
            script(desktop, "localStorage.setItem('who', 'desktop')");
            assertEquals("desktop", script(desktop, "return localStorage.getItem('who')"));
            assertNull(script(phone, "return localStorage.getItem('who')"), "same origin, other browser: no storage");
            phone.waitFor(By.cssSelector(".swagger-ui .info .title"));
            phone.screenshot(SCREENSHOTS.resolve("swagger-ui-phone.png"));
        }
    }

    @Test
    void closingLeavesNoProcessAndNoProfileBehind() {
        Browser browser = new Browser();
        List<ProcessHandle> processes;
        List<String> commands;
        try {
            browser.open(url("/docs")).waitFor(By.cssSelector(".swagger-ui .info .title"));
            processes = browser.processes();
            commands = processes.stream().map(p -> p.info().command().orElse("?")).distinct().toList();
        } finally {
            browser.close();
        }
        assertTrue(commands.contains("/usr/lib/chromium/chromedriver") && commands.contains("/usr/lib/chromium/chromium"),
                "the driver and the browser were seen: " + commands);
        assertEquals(List.of(), processes.stream().filter(BrowserProcesses::running).toList(), "still running");
        assertFalse(Files.exists(browser.profile()), "profile deleted: " + browser.profile());
    }

    private static List<Long> viewport(Browser browser) {
        @SuppressWarnings("unchecked")
        List<Long> size = (List<Long>) script(browser, "return [window.innerWidth, window.innerHeight, window.devicePixelRatio]");
        return size;
    }

    private static Object script(Browser browser, String script) {
        return ((JavascriptExecutor) browser.driver()).executeScript(script);
    }

    private static List<String> messages(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::getMessage).toList();
    }

    private static boolean isPng(Path file) {
        try {
            byte[] head = Files.readAllBytes(file);
            return head.length > 8 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
