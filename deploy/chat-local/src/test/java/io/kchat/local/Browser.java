package io.kchat.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user in a real browser: Debian's headless Chromium, driven through its own ChromeDriver, with a profile of its
 * own (cookies, local storage, service workers) in a temporary directory. Two instances are two independent users.
 *
 * <p>Both binaries are given explicitly ({@code deploy/bin/ensure-chromium} installs them before the integration
 * tests), which keeps Selenium Manager from running at all: it would try to download a browser and a driver from
 * Google, which this build's machines cannot reach.
 *
 * <p>{@link #close()} quits the browser and its driver, kills whatever of them a failed quit left running, and deletes
 * the profile; a JVM shutdown hook does the same for a Browser a test never closed, so no chromium or chromedriver
 * process outlives the test JVM.
 */
final class Browser implements AutoCloseable {

    /**
     * The page's CSS viewport, exactly: emulated (as DevTools' device mode does) rather than derived from the window,
     * whose headless frame takes 143 px of the height and which cannot be narrower than 500 px.
     */
    enum Viewport {
        DESKTOP(1280, 900, 1, false),
        /** A 6.1" phone: 3 device pixels per CSS pixel, touch, and a page's meta viewport applies. */
        PHONE(390, 844, 3, true);

        final int width;
        final int height;
        final double pixelRatio;
        final boolean mobile;

        Viewport(int width, int height, double pixelRatio, boolean mobile) {
            this.width = width;
            this.height = height;
            this.pixelRatio = pixelRatio;
            this.mobile = mobile;
        }

        Map<String, Object> deviceMetrics() {
            return Map.of("width", width, "height", height, "pixelRatio", pixelRatio, "mobile", mobile, "touch", mobile);
        }
    }

    /** Long enough for a page that waits on Kafka on a 2-core machine running the broker in the same JVM. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private static final Logger log = LoggerFactory.getLogger(Browser.class);
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final List<String> FLAGS = List.of(
            "--headless", // the new headless mode: the full browser without a window
            "--no-sandbox", // CI runs as root, where Chromium refuses to start with its sandbox
            "--disable-gpu", // no GPU on CI machines: software rendering, the same on every machine
            "--disable-quic",
            "--no-first-run",
            // no request the page did not make: no updates, sync, safe browsing or field-trial downloads
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");
    /**
     * A microphone for MediaRecorder: a fake capture device (a beeping tone) granted without a prompt, and media that
     * play without a click (a test starts the player from a script). Only for the tests that record or play: the
     * others keep the browser as a person has it.
     */
    static final List<String> FAKE_MICROPHONE = List.of(
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required");
    /**
     * No host name resolves but this machine's: a browser feature that would reach out by itself (the push service a
     * subscription asks for) fails on the spot instead of sending anything off the machine.
     */
    static final List<String> LOCAL_NAMES_ONLY = List.of(
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost");
    /*
     * Each new driver looks for Selenium's DevTools (CDP) bindings of the browser's major version and warns when it
     * has none: they are not on the classpath, and Debian moves Chromium to a new major version with its security
     * updates. Nothing here uses those bindings (blockRequests and refuseWebSockets send their commands through
     * ChromeDriver's own endpoint), so the warning is noise. A field: java.util.logging keeps loggers only weakly.
     */
    private static final java.util.logging.Logger CDP_VERSION_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private static final String REFUSED_SOCKETS = """
            window.WebSocket = class extends WebSocket {
              constructor(url, protocols) {
                super(new URL('/no-socket-here', url).href, protocols);
              }
            };
            """;

    /** Hides the server's frames of one type (the placeholder) from the page's sockets; everything else passes. */
    private static final String DROPPED_FRAMES = """
            window.WebSocket = class extends WebSocket {
              addEventListener(type, listener, options) {
                if (type !== 'message') return super.addEventListener(type, listener, options);
                return super.addEventListener(type, event => {
                  try {
                    if (JSON.parse(event.data).type === 'FRAME_TYPE') return;
                  } catch (e) {
                    // not JSON: the page sees it as it is
                  }
                  listener(event);
                }, options);
              }
            };
            """;

    /** Counts the page's calls of Notification.requestPermission in window.__permissionRequests, then lets them on. */
    private static final String COUNTED_PERMISSION_REQUESTS = """
            if (window.Notification) {
              const ask = Notification.requestPermission.bind(Notification);
              window.__permissionRequests = 0;
              Notification.requestPermission = (...args) => {
                window.__permissionRequests += 1;
                return ask(...args);
              };
            }
            """;

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Thread quitOnExit;
    // ChromeDriver hands out each console entry once; kept here so a test can look at them more than once
    private final List<LogEntry> console = new ArrayList<>();
    private boolean closed;
    private String socketRefusal; // the identifier of the script refuseWebSockets added, while it is added

    Browser() {
        this(Viewport.DESKTOP);
    }

    Browser(Viewport viewport) {
        this(viewport, List.of());
    }

    /** {@code extraFlags}: more Chromium switches on top of the usual ones, e.g. {@link #FAKE_MICROPHONE}. */
    Browser(Viewport viewport, List<String> extraFlags) {
        this.profile = createProfileDirectory();
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        try {
            this.driver = new ChromeDriver(service, options(viewport, profile, extraFlags));
        } catch (RuntimeException e) {
            service.stop();
            BrowserProcesses.killSurvivors(processes());
            deleteProfile(profile);
            throw e;
        }
        this.quitOnExit = new Thread(this::quit, "browser-quit-on-exit");
        Runtime.getRuntime().addShutdownHook(quitOnExit);
    }

    private static ChromeOptions options(Viewport viewport, Path profile, List<String> extraFlags) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(FLAGS);
        options.addArguments(extraFlags);
        options.addArguments("--user-data-dir=" + profile, "--window-size=" + viewport.width + "," + viewport.height);
        options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics", viewport.deviceMetrics()));
        // the page's console (uncaught errors, CSP violations, failed loads), read with the classic log endpoint:
        // no DevTools protocol, so no Selenium CDP module has to match the browser's version
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        return options;
    }

    WebDriver driver() {
        return driver;
    }

    /** Where this browser keeps its cookies and storage; deleted on {@link #close()}. */
    Path profile() {
        return profile;
    }

    /** The ChromeDriver and Chromium processes of this browser, now. */
    List<ProcessHandle> processes() {
        return BrowserProcesses.of(service.getUrl().getPort(), profile);
    }

    Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Makes the page's requests to URLs matching any of {@code patterns} ({@code *} matches anything) fail as if
     * refused on the way ({@code net::ERR_BLOCKED_BY_CLIENT}); no patterns lifts the block. It holds across reloads
     * of this tab. WebSocket handshakes are not blocked this way: see {@link #refuseWebSockets}. DevTools commands,
     * sent through ChromeDriver's endpoint for them, which needs no Selenium CDP bindings of the browser's version.
     */
    void blockRequests(String... patterns) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of(patterns)));
    }

    /**
     * From the next page load on, the page's WebSockets connect to a path of the same server that has none, so
     * each fails as an unreachable server's would and the page goes on retrying; false undoes it for later loads.
     * A DevTools script that runs before the page's own (the page's Content-Security-Policy does not apply to it).
     */
    void refuseWebSockets(boolean refuse) {
        if (refuse && socketRefusal == null) {
            Map<String, Object> added = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", REFUSED_SOCKETS));
            socketRefusal = (String) added.get("identifier");
        } else if (!refuse && socketRefusal != null) {
            driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", socketRefusal));
            socketRefusal = null;
        }
    }

    /**
     * From the next page load on, the page never sees the server's frames of {@code type}, as if it had missed them
     * (they are still acked cumulatively with the frames after them). For as long as this browser lives.
     */
    void dropSocketFrames(String type) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", DROPPED_FRAMES.replace("FRAME_TYPE", type)));
    }

    /** From the next page load on, the page's requests for the notification permission are counted (see above). */
    void countPermissionRequests() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COUNTED_PERMISSION_REQUESTS));
    }

    /**
     * Grants {@code origin} the notification permission as a person answering the browser's prompt would (headless
     * Chromium shows no prompt). Through ChromeDriver's DevTools session, which lives as long as the browser, so the
     * grant does too.
     */
    void grantNotifications(String origin) {
        driver.executeCdpCommand("Browser.grantPermissions",
                Map.of("origin", origin, "permissions", List.of("notifications")));
    }

    /** A DevTools connection of the test's own to the page at {@code urlPrefix}, for events: see {@link DevToolsPage}. */
    DevToolsPage devTools(String urlPrefix) {
        return DevToolsPage.connect(driver, urlPrefix);
    }

    /** The first visible element {@code locator} finds, waiting for it up to {@link #DEFAULT_TIMEOUT}. */
    WebElement waitFor(By locator) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /**
     * What {@code read} takes from the first visible element {@code locator} finds, found and read in one step: a
     * list the client redraws between a find and a read would otherwise leave a stale element behind.
     */
    <T> T read(By locator, Function<WebElement, T> read) {
        return waitFor(driver -> {
            WebElement visible = ExpectedConditions.visibilityOfElementLocated(locator).apply(driver);
            return visible == null ? null : read.apply(visible); // there but hidden for the moment: asked again
        });
    }

    /** Waits until {@code condition} returns neither null nor false; returns what it returned. */
    <T> T waitFor(Function<? super WebDriver, T> condition) {
        return waitFor(condition, DEFAULT_TIMEOUT);
    }

    <T> T waitFor(Function<? super WebDriver, T> condition, Duration timeout) {
        // the web client redraws a list on every change: an element found a moment ago may be gone (stale) or not
        // yet clickable (a dialog opening); the condition is simply asked again, as a missing element already is
        return new WebDriverWait(driver, timeout)
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementNotInteractableException.class)
                .until(condition);
    }

    /** Saves what the viewport shows as a PNG; returns {@code file}. */
    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save a screenshot to " + file, e);
        }
    }

    /** Everything the pages logged to the console since this browser started. */
    List<LogEntry> console() {
        driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
        return List.copyOf(console);
    }

    /** The console's errors: uncaught exceptions, CSP violations, failed requests, console.error calls. */
    List<LogEntry> consoleErrors() {
        return console().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    @Override
    public void close() {
        quit();
        try {
            Runtime.getRuntime().removeShutdownHook(quitOnExit);
        } catch (IllegalStateException shuttingDown) {
            // closed from another shutdown hook: this one runs too, and finds it closed
        }
    }

    private synchronized void quit() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit(); // closes Chromium, waits for it to exit, then stops the ChromeDriver process
        } catch (RuntimeException e) {
            log.warn("quitting the browser failed; killing its processes", e);
        } finally {
            service.stop(); // a no-op after a clean quit
            BrowserProcesses.killSurvivors(processes());
            deleteProfile(profile);
        }
    }

    private static Path createProfileDirectory() {
        try {
            return Files.createTempDirectory("kchat-browser-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a browser profile directory", e);
        }
    }

    private static void deleteProfile(Path profile) {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete the browser profile {}", profile, e);
        }
    }
}
