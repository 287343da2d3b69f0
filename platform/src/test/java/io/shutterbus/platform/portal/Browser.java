package io.shutterbus.platform.portal;

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
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its chromedriver with a fresh profile each time, so
 * no cookie or cache leaks from one test into the next. Everything the page writes to the console
 * is kept, so a test can assert that nothing broke the Content-Security-Policy.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Duration WAIT = Duration.ofSeconds(15);
  /**
   * Selenium 4.27 knows Chrome DevTools versions up to 131 and warns about every newer Chromium;
   * these tests use only chromedriver's own commands, so the warning says nothing useful. Held in
   * a field because java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");
  private static final java.util.logging.Logger CHROMIUM_DRIVER = quiet("org.openqa.selenium.chromium.ChromiumDriver");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  final ChromeDriver driver;
  private final Path profile;
  private final List<String> console = new ArrayList<>();

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver: "
          + "apt-get install -y chromium chromium-driver (.ci/run does it)");
    }
    try {
      Path profile = Files.createTempDirectory("chromium-profile");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900",
          "--user-data-dir=" + profile);
      options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
      // An alert() must stay open for the test to see it, not be dismissed silently.
      options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void go(String url) {
    driver.get(url);
  }

  String path() {
    return (String) js("return location.pathname + location.search;");
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement visible(By by) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits for {@code condition}; an element replaced by a re-render meanwhile is looked up again. */
  <T> T until(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  <T> T until(Function<WebDriver, T> condition) {
    return until(WAIT, condition);
  }

  WebElement focused() {
    return driver.switchTo().activeElement();
  }

  void press(CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  void tab() {
    press(Keys.TAB);
  }

  /** A phone-sized viewport (375 x 812 CSS pixels, touch) or back to the desktop window. */
  void phone() {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 375, "height", 812, "deviceScaleFactor", 1, "mobile", true));
  }

  void desktop() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /**
   * True when the page is wider than what the screen shows, i.e. someone would have to scroll
   * sideways. A phone-sized viewport widens its layout viewport (innerWidth) to fit wide content,
   * so the comparison is with the visual viewport, the part of the page actually on screen.
   */
  boolean scrollsSideways() {
    return (Boolean) js("const shown = window.visualViewport ? window.visualViewport.width : window.innerWidth;"
        + "return document.documentElement.scrollWidth > Math.ceil(shown);");
  }

  /** Writes target/screenshots/{name}.png (module directory) and returns it. */
  Path screenshot(String name) {
    try {
      Path dir = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the page logged so far (console messages, failed loads, CSP reports). */
  List<String> console() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      console.add(entry.getLevel() + " " + entry.getMessage());
    }
    return List.copyOf(console);
  }

  /** Chromium reports each blocked inline script, inline style or foreign load as such a line. */
  List<String> cspViolations() {
    return console().stream().filter(line -> line.contains("Content Security Policy")).toList();
  }

  /** Uncaught exceptions and rejected promises in the page's own code. */
  List<String> scriptErrors() {
    return console().stream().filter(line -> line.contains("Uncaught")).toList();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a leftover temp profile is harmless
      }
    }
  }
}
