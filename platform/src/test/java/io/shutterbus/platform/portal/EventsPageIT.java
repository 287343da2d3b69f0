package io.shutterbus.platform.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.platform.PlatformUnderTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The Events page, in headless Chromium through the gateway on the real platform (Kafka included):
 * an administrator sees the topics with their counts, a registration's event with its e-mail masked,
 * its headers and pretty JSON, watches new registrations arrive in the live tail without a reload,
 * pauses and resumes it, filters by key, and reads the consumer lag. Anyone else gets one sentence.
 */
@ExtendWith(PortalTestExtension.class)
class EventsPageIT {
  static final String PASSWORD = PlatformUnderTest.ADMIN_PASSWORD;
  static final String TOPIC = "users.registered";
  static final String GROUP = "events-page-it";
  static final Duration ARRIVAL = Duration.ofSeconds(30);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void theAdministratorHasAnAccount(PlatformUnderTest platform) throws Exception {
    HttpResponse<String> res = register(platform, "Ada Admin", PlatformUnderTest.ADMIN_EMAIL);
    assertTrue(res.statusCode() == 201 || res.statusCode() == 409, res.statusCode() + " " + res.body());
  }

  @Test
  void anAdministratorInspectsTopicsMessagesTheLiveTailAndConsumerLag(PlatformUnderTest platform, Browser browser)
      throws Exception {
    String earlier = "xena." + shortId() + "@example.com";
    String earlierId = registered(platform, "Xena Earlier", earlier);
    int readers = behindByOne(platform);

    signIn(browser, platform, PlatformUnderTest.ADMIN_EMAIL);
    WebElement link = browser.visible(By.cssSelector("#nav a[href='/events']"));
    assertEquals("Events", link.getText());
    link.click();
    browser.visible(By.id("topic-list"));
    assertEquals("/events", browser.path().replaceAll("\\?.*", ""));
    assertEquals("Events · Shutterbus", browser.driver.getTitle());
    browser.js("window.sameDocument = true;");

    // Every control is labelled; the keyboard reaches the topics with a visible focus.
    PortalPagesIT.assertLabelled(browser, "filter-key", "Key");
    PortalPagesIT.assertLabelled(browser, "filter-text", "Text");
    PortalPagesIT.assertLabelled(browser, "filter-from", "Messages from");
    browser.driver.findElement(By.id("topics-refresh")).click();
    browser.tab();
    WebElement firstTopic = browser.focused();
    assertTrue(firstTopic.getDomAttribute("class").contains("topic"), PortalPagesIT.describe(firstTopic));
    PortalPagesIT.assertFocusVisible(browser, firstTopic);

    // Topics with partitions and counts; users.registered is chosen and holds the earlier event.
    WebElement topic = browser.visible(By.cssSelector("button[data-topic='" + TOPIC + "']"));
    Matcher messages = Pattern.compile("(\\d+) messages?").matcher(topic.getText());
    assertTrue(messages.find() && Integer.parseInt(messages.group(1)) >= 1, topic.getText());
    assertTrue(topic.getText().contains("partition"), topic.getText());
    topic.click();
    browser.until(d -> "true".equals(topic.getDomAttribute("aria-pressed")));
    assertEquals("Messages in " + TOPIC, browser.driver.findElement(By.id("messages-title")).getText());
    WebElement row = rowWithKey(browser, earlierId);
    assertTrue(row.getText().contains("x***@example.com"), row.getText());
    assertTrue(row.getText().contains("shutterbus.user.registered.v1"), row.getText());
    assertFalse(browser.driver.getPageSource().contains(earlier), "the e-mail is masked everywhere on the page");
    assertNewestFirst(browser);

    // Its detail: where it sits, its CloudEvents headers, the value as pretty JSON; Escape goes back.
    row.click();
    WebElement title = browser.visible(By.id("event-detail-title"));
    assertEquals("shutterbus.user.registered.v1", title.getText());
    assertEquals("event-detail-title", browser.focused().getDomAttribute("id"), "the detail takes the focus");
    String headers = browser.driver.findElement(By.id("event-headers")).getText();
    for (String header : List.of("ce_type", "ce_id", "ce_source", "ce_specversion", "content-type")) {
      assertTrue(headers.contains(header), header + " in " + headers);
    }
    assertEquals(earlierId, browser.driver.findElement(By.cssSelector("#event-detail .event-key")).getText());
    String value = browser.driver.findElement(By.id("event-value")).getText();
    assertTrue(value.startsWith("{\n  \""), "pretty-printed JSON: " + value);
    assertTrue(value.contains("\"email\": \"x***@example.com\""), value);
    assertTrue(value.contains("\"userId\": \"" + earlierId + "\""), value);
    browser.js("window.scrollTo(0, 0);");
    browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 1280, "height", 1900, "deviceScaleFactor", 1, "mobile", false));
    assertTrue(Files.size(browser.screenshot("events")) > 20_000, "the screenshot has content");
    browser.desktop();
    browser.press(Keys.ESCAPE);
    browser.until(d -> browser.driver.findElements(By.id("event-detail-title")).isEmpty());
    assertEquals(row.getDomAttribute("id"), browser.focused().getDomAttribute("id"), "focus returns to the row");

    // The live tail: a new registration appears at the top without a reload.
    browser.driver.findElement(By.id("tail-toggle")).click();
    awaitStatus(browser, "Live");
    assertEquals("Stop live tail", browser.driver.findElement(By.id("tail-toggle")).getText());
    String liveId = registered(platform, "Yuri Live", "yuri." + shortId() + "@example.com");
    WebElement live = rowWithKey(browser, liveId);
    assertTrue(live.getText().contains("y***@example.com"), live.getText());
    assertEquals(liveId, firstRowKey(browser), "the newest event is on top");
    browser.until(ARRIVAL, d -> browser.driver.findElement(By.id("status")).getText()
        .contains("new event in " + TOPIC));

    // Paused: the next one is counted, not shown, until Resume.
    browser.driver.findElement(By.id("tail-pause")).click();
    awaitStatus(browser, "Paused");
    String heldId = registered(platform, "Zoe Held", "zoe." + shortId() + "@example.com");
    awaitStatus(browser, "1 new event is waiting");
    assertTrue(rowsWithKey(browser, heldId).isEmpty(), "nothing is added while paused");
    WebElement resume = browser.driver.findElement(By.id("tail-pause"));
    assertTrue(resume.getText().startsWith("Resume"), resume.getText());
    resume.click();
    rowWithKey(browser, heldId);
    awaitStatus(browser, "Live");
    assertEquals(Boolean.TRUE, browser.js("return window.sameDocument === true;"), "no reload happened");

    // Filter by key: the server answers only that user's event, the tail follows the same filter.
    WebElement key = browser.driver.findElement(By.id("filter-key"));
    key.sendKeys(earlierId, Keys.ENTER);
    browser.until(d -> browser.driver.findElement(By.id("event-list-summary")).getText()
        .equals("1 event matching the filters, newest first."));
    assertEquals(List.of(earlierId), rowKeys(browser));
    awaitStatus(browser, "Live");
    browser.driver.findElement(By.id("filter-clear")).click();
    browser.until(d -> rowKeys(browser).size() > 1);

    // Keyboard: Up and Down move between rows, Enter opens one.
    WebElement first = browser.driver.findElement(By.cssSelector("#event-list .event-row"));
    first.sendKeys(Keys.ARROW_DOWN);
    WebElement second = browser.driver.findElements(By.cssSelector("#event-list .event-row")).get(1);
    assertEquals(second.getDomAttribute("id"), browser.focused().getDomAttribute("id"));
    browser.press(Keys.ENTER);
    browser.visible(By.id("event-detail-title"));
    assertEquals("true", second.getDomAttribute("aria-current"));

    // Consumer lag: a group one event behind on each partition it read.
    WebElement lag = browser.visible(By.id("groups-table"));
    browser.driver.findElement(By.id("groups-refresh")).click();
    browser.until(d -> lagRows(browser).size() == readers);
    for (List<String> r : lagRows(browser)) {
      assertEquals(TOPIC, r.get(1), r.toString());
      long lagging = Long.parseLong(r.get(5));
      assertEquals(Long.parseLong(r.get(4)) - Long.parseLong(r.get(3)), lagging, r.toString());
      assertTrue(lagging >= 1, "committed short of the end: " + r);
    }
    assertTrue(lag.getText().contains("Committed") && lag.getText().contains("Lag"), lag.getText());

    assertEquals(List.of(), browser.cspViolations());
    assertEquals(List.of(), browser.scriptErrors());

    browser.phone();
    browser.go(platform.gatewayUrl() + "/events?topic=" + TOPIC);
    rowWithKey(browser, heldId);
    rowWithKey(browser, heldId).click();
    browser.visible(By.id("event-value"));
    assertFalse(browser.scrollsSideways(), "no sideways scrolling at 375 px");
    browser.screenshot("events-375-detail");
    browser.js("window.scrollTo(0, 0);");
    assertTrue(browser.driver.findElement(By.cssSelector("#nav a[href='/events']")).isDisplayed());
    assertTrue(browser.driver.findElement(By.id("sign-out")).isDisplayed());
    browser.screenshot("events-375");
    assertEquals(List.of(), browser.cspViolations());
  }

  @Test
  void someoneWhoIsNotAnAdministratorSeesNoEventsLinkAndNoData(PlatformUnderTest platform, Browser browser)
      throws Exception {
    String email = "nora." + shortId() + "@example.com";
    registered(platform, "Nora Normal", email);
    signIn(browser, platform, email);
    browser.visible(By.id("sign-out"));
    browser.visible(By.cssSelector("#nav a[href='/gallery']"));
    assertTrue(browser.driver.findElements(By.cssSelector("a[href='/events']")).isEmpty(), "no Events link");

    browser.go(platform.gatewayUrl() + "/events");
    WebElement sentence = browser.visible(By.id("events-denied"));
    assertEquals("This page is for administrators.", sentence.getText());
    assertTrue(browser.driver.findElements(By.id("topic-list")).isEmpty(), "no topics");
    assertTrue(browser.driver.findElements(By.id("event-list")).isEmpty(), "no messages");
    assertTrue(browser.driver.findElements(By.id("groups-table")).isEmpty(), "no lag");
    assertEquals(List.of(), browser.cspViolations());
    assertEquals(List.of(), browser.scriptErrors());
  }

  // ---- helpers

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static HttpResponse<String> register(PlatformUnderTest platform, String name, String email) throws Exception {
    String json = "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
    return HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/auth/register"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Registers through the API and answers the new user's id (the key of their event). */
  static String registered(PlatformUnderTest platform, String name, String email) throws Exception {
    HttpResponse<String> res = register(platform, name, email);
    assertEquals(201, res.statusCode(), res.body());
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(res.body());
    assertTrue(id.find(), res.body());
    return id.group(1);
  }

  static void signIn(Browser browser, PlatformUnderTest platform, String email) {
    browser.go(platform.gatewayUrl() + "/signin");
    browser.visible(By.id("signin-email")).sendKeys(email);
    browser.driver.findElement(By.id("signin-password")).sendKeys(PASSWORD, Keys.ENTER);
    browser.visible(By.id("sign-out"));
  }

  /**
   * A consumer group that has read all but the last event of each partition of users.registered
   * holding events; answers on how many partitions, the rows its lag should show.
   */
  static int behindByOne(PlatformUnderTest platform) {
    Properties p = new Properties();
    p.put("bootstrap.servers", platform.kafkaBootstrap());
    p.put("group.id", GROUP);
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      consumer.endOffsets(parts, Duration.ofSeconds(10)).forEach((tp, end) -> {
        if (end > 0) {
          commits.put(tp, new OffsetAndMetadata(end - 1));
        }
      });
      consumer.commitSync(commits, Duration.ofSeconds(10));
      return commits.size();
    }
  }

  static void awaitStatus(Browser browser, String text) {
    browser.until(ARRIVAL, d -> browser.driver.findElement(By.id("tail-status")).getText().contains(text));
  }

  static WebElement rowWithKey(Browser browser, String key) {
    return browser.until(ARRIVAL, d -> rowsWithKey(browser, key).stream().findFirst().orElse(null));
  }

  static List<WebElement> rowsWithKey(Browser browser, String key) {
    return browser.driver.findElements(By.cssSelector("#event-list .event-row")).stream()
        .filter(r -> r.getText().contains("Key " + key)).toList();
  }

  @SuppressWarnings("unchecked")
  static List<String> rowKeys(Browser browser) {
    return (List<String>) browser.js("return [...document.querySelectorAll('#event-list .event-row-key')]"
        + ".map(e => e.textContent.replace(/^Key /, ''));");
  }

  static String firstRowKey(Browser browser) {
    return rowKeys(browser).get(0);
  }

  static void assertNewestFirst(Browser browser) {
    Object sorted = browser.js("const t = [...document.querySelectorAll('#event-list .event-time')]"
        + ".map(e => Date.parse(e.getAttribute('datetime')));"
        + "return t.length > 1 && t.every((v, i) => i === 0 || t[i - 1] >= v);");
    assertEquals(Boolean.TRUE, sorted, "several events, newest first");
  }

  @SuppressWarnings("unchecked")
  static List<List<String>> lagRows(Browser browser) {
    return (List<List<String>>) browser.js("return [...document.querySelectorAll('#groups-table tbody tr')]"
        + ".filter(tr => tr.cells[0].textContent === arguments[0])"
        + ".map(tr => [...tr.cells].map(c => c.textContent.trim()));", GROUP);
  }
}
