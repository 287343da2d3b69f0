package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus, with this folder's local.yml (ports rewritten) and rules, scraping the real
 * platform jar after a short user journey: the rules' and dashboards' metrics exist, every
 * recording rule returns data, and stopping PostgreSQL makes its alert go pending.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformPrometheusIT {
  /** Names only Kubernetes has (kube-state-metrics): they cannot appear beside the local platform. */
  private static final Set<String> KUBERNETES_ONLY = Set.of(
      "kube_horizontalpodautoscaler_status_current_replicas", "kube_horizontalpodautoscaler_spec_max_replicas",
      "kube_poddisruptionbudget_status_current_healthy", "kube_poddisruptionbudget_status_desired_healthy");
  /** Made by Prometheus itself rather than scraped. */
  private static final Set<String> PROMETHEUS_MADE = Set.of("up", "ALERTS");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @TempDir
  static Path dir;
  private static PlatformProcess platform;
  private static Process prometheus;
  private static String prometheusUrl;

  @BeforeAll
  static void startPlatformJourneyAndPrometheus() throws Exception {
    Tools.require("prometheus");
    platform = PlatformProcess.start(dir.resolve("data"), 240);
    journey();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    prometheusUrl = "http://127.0.0.1:" + port;
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, localConfigFor(platform));
    Tools.ok("promtool", "check", "config", config.toString());
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    awaitQuery("count(up{job=\"shutterbus\"} == 1)", r -> r.size() == 1 && r.get(0).path("value").get(1).asText().equals("5"), 60);
    journey();  // traffic while Prometheus watches, so rates are not all zero
    Thread.sleep(5000);
  }

  /** local.yml as shipped, pointed at this run's ports, scraping and evaluating every second. */
  static String localConfigFor(PlatformProcess platform) throws Exception {
    String config = Files.readString(Rules.PROMETHEUS.resolve("local.yml"))
        .replace("scrape_interval: 15s", "scrape_interval: 1s")
        .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
        .replace("rules/*.yml", Rules.RULES.toAbsolutePath() + "/*.yml");
    int defaultPort = 9080;
    for (String service : List.of("gateway", "auth", "image", "portal", "image-worker")) {
      config = config.replace("127.0.0.1:" + defaultPort++ + "'", "127.0.0.1:" + platform.managementPort(service) + "'");
    }
    return config;
  }

  static void journey() {
    String out = Tools.ok("bash", "journey", platform.gatewayUrl());
    assertTrue(out.contains("journey done"), out);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  @Order(1)
  void everyMetricTheRulesAndDashboardsReadIsScraped() throws Exception {
    Set<String> scraped = new HashSet<>();
    for (String service : PlatformProcess.MANAGEMENT.keySet()) {
      String text = get("http://127.0.0.1:" + platform.managementPort(service) + "/metrics");
      if (service.equals("gateway")) {
        assertTrue(text.contains("client_id=\"gateway-live\""), "the gateway's live-update consumer reports to the gateway");
      }
      text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(l -> scraped.add(l.split("[{ ]", 2)[0]));
    }
    JsonNode inPrometheus = api("/api/v1/label/__name__/values").path("data");
    Set<String> stored = new HashSet<>();
    inPrometheus.forEach(n -> stored.add(n.asText()));
    Map<String, List<String>> missing = new TreeMap<>();
    Set<String> recorded = PromqlNames.recordedNames();
    Map<String, List<String>> used = PromqlNames.namesUsed();
    assertTrue(used.keySet().containsAll(Set.of("vertx_http_server_requests_total", "shutterbus_image_pipeline_latency_seconds_bucket",
        "shutterbus_vertx_thread_blocked_total", "shutterbus_outbox_oldest_pending_age_seconds", "up")), used.keySet().toString());
    used.forEach((name, usedBy) -> {
      if (recorded.contains(name) || KUBERNETES_ONLY.contains(name)) {
        return;
      }
      boolean found = PROMETHEUS_MADE.contains(name) ? stored.contains(name) : scraped.contains(name) && stored.contains(name);
      if (!found) {
        missing.put(name, usedBy);
      }
    });
    assertEquals(Map.of(), missing, "metrics used but not exported by the platform");
  }

  @Test
  @Order(2)
  void everyRecordingRuleReturnsData() throws Exception {
    List<String> empty = new ArrayList<>();
    for (Rules.Rule r : Rules.all()) {
      if (r.alert()) {
        continue;
      }
      String query = r.labels().containsKey("slo") ? r.name() + "{slo=\"" + r.labels().get("slo") + "\"}" : r.name();
      if (!awaitQuery(query, res -> !res.isEmpty(), 20)) {
        empty.add(query);
      }
    }
    assertEquals(List.of(), empty, "recording rules without data");
    assertTrue(awaitQuery("slo:sli_events:rate5m{slo=\"api-availability\", namespace=\"local\"} > 0", res -> !res.isEmpty(), 20),
        "the journey's requests count as API events");
    // two journeys: two pictures ready and two undecodable ones failed, each counted once
    assertTrue(awaitQuery("sum by (outcome) (shutterbus_image_pipeline_latency_seconds_count{job=\"shutterbus\"}) == 2",
        res -> res.size() == 2, 30), "pipeline outcomes: " + api("/api/v1/query?query=shutterbus_image_pipeline_latency_seconds_count"));
  }

  @Test
  @Order(3)
  void aHealthyPlatformPagesNobodyAndTheWatchdogFires() throws Exception {
    JsonNode alerts = api("/api/v1/alerts").path("data").path("alerts");
    List<String> pages = new ArrayList<>();
    Set<String> firing = new HashSet<>();
    alerts.forEach(a -> {
      String name = a.path("labels").path("alertname").asText();
      if (a.path("labels").path("severity").asText().equals("page")) {
        pages.add(name + "/" + a.path("state").asText());
      }
      if (a.path("state").asText().equals("firing")) {
        firing.add(name);
      }
    });
    assertEquals(List.of(), pages, "pages on a healthy platform");
    assertTrue(firing.contains("Watchdog"), "Watchdog fires: " + alerts);
  }

  @Test
  @Order(4)
  void stoppingPostgresqlMakesItsAlertPending() throws Exception {
    long pid = platform.postmasterPid();
    Tools.ok("kill", "-INT", Long.toString(pid));  // fast shutdown: what a crashed or stopped database looks like
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<String> seen = new HashSet<>();
    while (System.nanoTime() < deadline) {
      api("/api/v1/alerts").path("data").path("alerts").forEach(a -> {
        if (a.path("labels").path("alertname").asText().equals("PostgresUnreachable")) {
          seen.add(a.path("labels").path("service").asText());
        }
      });
      if (seen.containsAll(Set.of("auth", "image", "image-worker"))) {
        return;
      }
      Thread.sleep(1000);
    }
    fail("PostgresUnreachable pending/firing for " + seen + " only; alerts: " + api("/api/v1/alerts"));
  }

  private static boolean awaitQuery(String query, Predicate<JsonNode> ok, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      JsonNode result = api("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).path("data").path("result");
      if (ok.test(result)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1000);
    }
  }

  private static JsonNode api(String path) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return JSON.readTree(get(prometheusUrl + path));
      } catch (java.io.IOException e) {
        if (attempt > 30) {
          throw e;
        }
        Thread.sleep(500);  // Prometheus still starting
      }
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new java.io.IOException(url + " -> " + res.statusCode() + " " + res.body());
    }
    return res.body();
  }
}
