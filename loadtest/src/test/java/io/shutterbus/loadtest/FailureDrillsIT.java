package io.shutterbus.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code loadtest/drill all --short} as a person runs it: one platform (its drill console drives the
 * embedded PostgreSQL and Kafka, the image worker runs apart for a real kill -9), Debian's Prometheus
 * with observability's rules, and the four drills in turn with a 10 s fault under light load. Each
 * drill's figures are asserted from its summary.json (not only its own verdict): the fault seen fast
 * and named, readiness down and back without a restart, the matching alert pending and resolved,
 * every accepted registration and upload present and processed exactly once. No timing assertion
 * beyond the 2 s the checklist promises for a 503 when the database is away.
 */
class FailureDrillsIT {
  private static final List<String> DRILLS = List.of("postgres-down", "kafka-down", "worker-killed", "spike");
  private static Path results;
  private static Processes.Done done;

  @BeforeAll
  static void runDrills() throws Exception {
    for (String[] tool : new String[][] {{"prometheus", "prometheus"}, {"psql", "postgresql-client"},
        {"gnuplot", "gnuplot-nox"}, {"python3", "python3"}}) {
      Processes.require(tool[0], tool[1]);
    }
    Path jar = Paths.repository().resolve("platform/target/shutterbus.jar");
    assertTrue(Files.exists(jar), jar + " is missing: the reactor builds platform before loadtest");
    assertTrue(Files.exists(Paths.repository().resolve("events/target/shutterbus-events.jar")),
        "the events CLI jar is missing: the reactor builds events before loadtest");
    results = Paths.module().resolve("target/drill-results");
    Files.createDirectories(results);
    done = Processes.run(Paths.module(), 900, "./drill", "all", "--short", "--results", results.toString());
  }

  @Test
  void everyDrillPassesItsOwnChecks() throws Exception {
    for (String drill : DRILLS) {
      JsonObject s = summary(drill);
      JsonArray failed = new JsonArray(s.getJsonArray("checks").stream()
          .filter(c -> !((JsonObject) c).getBoolean("passed")).toList());
      assertEquals(new JsonArray(), failed, drill + "\n" + done.output());
    }
    assertEquals(0, done.exitCode(), done.output());
  }

  @Test
  void withPostgresqlGoneCallsAnswer503NamingItWithinTwoSecondsAndRecoverWithoutARestart() throws Exception {
    JsonObject s = summary("postgres-down");
    JsonObject t = s.getJsonObject("timings");
    assertNotNull(t.getDouble("first_503_s"), s.encodePrettily());
    assertTrue(t.getDouble("first_503_s") <= 2.0, t.encode());
    for (String service : List.of("auth", "image", "image-worker")) {
      assertNotNull(t.getJsonObject("readiness_down_s").getDouble(service), service + " never went not-ready: " + t.encode());
      assertNotNull(t.getJsonObject("readiness_up_after_repair_s").getDouble(service), service + " never came back: " + t.encode());
    }
    JsonObject success = t.getJsonObject("first_success_after_repair_s");
    for (String call : List.of("probe_me", "upload", "register")) {
      assertNotNull(success.getDouble(call), call + " never succeeded after the repair: " + t.encode());
    }
    assertEquals(s.getJsonObject("restarts").getJsonObject("before"), s.getJsonObject("restarts").getJsonObject("after"));
    assertAlertCameAndWent(s, "PostgresUnreachable");
    assertTrue(s.getJsonObject("error_budget").getJsonObject("all").getInteger("bad") > 0, "the outage cost nothing?");
  }

  @Test
  void withKafkaGoneUploadsAndRegistrationsAreStillAcceptedAndTheirEventsGoOutAfter() throws Exception {
    JsonObject s = summary("kafka-down");
    assertEquals(0, s.getJsonObject("error_budget").getJsonObject("drill_load").getInteger("bad"), s.encodePrettily());
    assertTrue(s.getJsonObject("load").getJsonObject("accepted").getInteger("uploads") > 0);
    assertAlertCameAndWent(s, "KafkaUnreachable");
    assertNothingLostNothingTwice(s);
  }

  @Test
  void aWorkerKilledMidBurstLosesNoImageAndProcessesNoneTwice() throws Exception {
    JsonObject s = summary("worker-killed");
    assertNotNull(s.getJsonObject("timings").getJsonObject("readiness_down_s").getDouble("image-worker"));
    assertEquals(0, s.getJsonObject("error_budget").getJsonObject("drill_load").getInteger("bad"), s.encodePrettily());
    assertAlertCameAndWent(s, "ShutterbusTargetDown");
    assertNothingLostNothingTwice(s);
  }

  @Test
  void aTenfoldSpikeIsAbsorbedWithoutErrorsOrLoss() throws Exception {
    JsonObject s = summary("spike");
    assertEquals(10, s.getJsonObject("load").getInteger("multiplier_during_fault"));
    assertEquals(0, s.getJsonObject("error_budget").getJsonObject("all").getInteger("bad"), s.encodePrettily());
    assertNothingLostNothingTwice(s);
  }

  @Test
  void eachReportHasItsChartsWithTheFaultShaded() throws Exception {
    for (String drill : DRILLS) {
      Path dir = dir(drill);
      String report = Files.readString(dir.resolve("report.md"));
      for (String chart : List.of("latency.png", "status.png", "readiness.png")) {
        assertTrue(report.contains("![" + chart + "](" + chart + ")"), report);
        byte[] png = Files.readAllBytes(dir.resolve(chart));
        assertTrue(png.length > 5000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', chart);
      }
      assertTrue(Files.readString(dir.resolve("chart-data/charts.gp")).contains("rect from first"),
          drill + ": the fault window is not shaded");
    }
  }

  private static void assertAlertCameAndWent(JsonObject s, String alert) {
    JsonObject seen = s.getJsonObject("alerts").getJsonObject("seen").getJsonObject(alert);
    assertNotNull(seen, alert + " never went pending: " + s.getJsonObject("alerts").encodePrettily());
    assertNotNull(seen.getDouble("pending_at_s"));
    assertNotNull(seen.getDouble("resolved_at_s"), alert + " did not resolve after the repair");
  }

  private static void assertNothingLostNothingTwice(JsonObject s) {
    JsonObject counts = s.getJsonObject("ledger").getJsonObject("database_and_events");
    JsonObject rows = counts.getJsonObject("rows");
    int accepted = counts.getJsonObject("accepted_all_clients").getJsonArray("uploads").getInteger(0);
    assertEquals(accepted, rows.getInteger("images"), counts.encodePrettily());
    assertEquals(rows.getInteger("images"), rows.getInteger("images_ready"), counts.encodePrettily());
    assertEquals(rows.getInteger("images_ready"), rows.getInteger("image_count_sum"), "a processed event counted twice");
    assertEquals(rows.getInteger("auth_users"), rows.getInteger("image_users"), counts.encodePrettily());
    assertEquals(0, rows.getInteger("outbox_unsent_auth") + rows.getInteger("outbox_unsent_images"));
  }

  @Test
  void afterAllDrillsEveryRowHasItsEventsAndEveryEventWasConsumedOnce() throws Exception {
    JsonObject counts = summary("spike").getJsonObject("ledger").getJsonObject("database_and_events");
    JsonObject rows = counts.getJsonObject("rows");
    JsonObject events = counts.getJsonObject("events");   // --short reads them once, after the last drill
    assertNotNull(events, counts.encodePrettily());
    assertEquals(rows.getInteger("auth_users"), events.getJsonObject("users.registered").getInteger("distinct_keys"));
    assertEquals(rows.getInteger("images"), events.getJsonObject("images.uploaded").getInteger("distinct_keys"));
    assertEquals(rows.getInteger("images"), events.getJsonObject("images.processed").getInteger("distinct_keys"));
    assertEquals(0, events.getJsonObject("images.failed").getInteger("messages"), "a drill image failed to process");
  }

  private static Path dir(String drill) throws Exception {
    try (Stream<Path> dirs = Files.list(results)) {
      return dirs.filter(d -> d.getFileName().toString().endsWith("-drill-" + drill)).sorted().reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no results for " + drill + ":\n" + done.output()));
    }
  }

  private static JsonObject summary(String drill) throws Exception {
    return new JsonObject(Files.readString(dir(drill).resolve("summary.json")));
  }
}
