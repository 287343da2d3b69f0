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
 * {@code loadtest/run smoke} as a user runs it: it starts the platform jar itself, runs every hey
 * drill and the three Gatling journeys for a few seconds plus one benchmark round, and leaves a
 * summary, charts and a report. Latency thresholds are reported, never asserted here (seconds on a
 * shared machine say nothing about speed); what a run must get right is asserted.
 */
class LoadRunSmokeIT {
  private static Path run;
  private static String output;
  private static int exitCode;

  @BeforeAll
  static void runSmoke() throws Exception {
    for (String[] tool : new String[][] {{"hey", "hey"}, {"gnuplot", "gnuplot-nox"}, {"nginx", "nginx-light"},
        {"vipsthumbnail", "libvips-tools"}, {"python3", "python3"}}) {
      Processes.require(tool[0], tool[1]);
    }
    Path jar = Paths.repository().resolve("platform/target/shutterbus.jar");
    assertTrue(Files.exists(jar), jar + " is missing: the reactor builds platform before loadtest "
        + "(mvn -B verify, or mvn -B -pl platform,loadtest -am verify)");
    Path results = Paths.module().resolve("target/loadtest-results");
    Files.createDirectories(results);
    Processes.Done done = Processes.run(Paths.module(), 900, "./run", "smoke", "--duration", "3s", "--results", results.toString());
    exitCode = done.exitCode();
    output = done.output();
    try (Stream<Path> dirs = Files.list(results)) {
      run = dirs.filter(d -> d.getFileName().toString().endsWith("-smoke")).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  @Test
  void theRunEndsWellAndItsChecksPass() throws Exception {
    assertEquals(0, exitCode, output);
    JsonObject summary = summary();
    assertEquals(Boolean.TRUE, summary.getBoolean("checks_passed"), summary.getJsonArray("checks").encodePrettily());
    assertEquals(0, summary.getJsonObject("overall").getInteger("failed_checks"), output);
    assertEquals(0, summary.getInteger("gatling_exit_code"), "Gatling's own assertions (the failed share) failed");
  }

  @Test
  void everyRequestOfEveryScenarioAndDrillWasMeasured() throws Exception {
    JsonObject byScenario = summary().getJsonObject("requests_by_scenario");
    assertEquals(List.of("image_original", "login", "me", "upload"), List.copyOf(byScenario.getJsonObject("hey").fieldNames()).stream().sorted().toList());
    for (var entry : ScenarioDocument.read(Paths.module().resolve("scenarios.md")).entrySet()) {
      assertEquals(entry.getValue().latency().keySet(), new java.util.TreeSet<>(byScenario.getJsonObject(entry.getKey()).fieldNames()),
          "the Gatling " + entry.getKey() + " journey makes exactly the documented requests");
      for (String request : entry.getValue().latency().keySet()) {
        JsonObject stats = byScenario.getJsonObject(entry.getKey()).getJsonObject(request);
        assertNotNull(stats, entry.getKey() + " never made a " + request + " request");
        assertTrue(stats.getInteger("count") > 0);
        assertNotNull(stats.getJsonObject("latency_ms").getDouble("p95"));
      }
    }
    JsonObject ready = summary().getJsonObject("accepted_to_ready_s");
    assertTrue(ready.getInteger("count") > 0 && ready.getDouble("p95") > 0, ready.encode());
  }

  @Test
  void thePlatformsOwnFiguresAreScrapedBeforeAndAfter() throws Exception {
    JsonObject metrics = summary().getJsonObject("platform_metrics");
    double before = metrics.getJsonObject("before").getDouble("process_cpu_seconds");
    double after = metrics.getJsonObject("after").getDouble("process_cpu_seconds");
    assertTrue(after > before && before > 0, metrics.encodePrettily());
    assertTrue(metrics.getJsonObject("after").getDouble("heap_used_bytes") > 0);
    assertNotNull(metrics.getInteger("blocked_thread_warnings"));
  }

  @Test
  void theReportEmbedsChartsThatArePngImages() throws Exception {
    String report = Files.readString(run.resolve("report.md"));
    for (String chart : List.of("latency.png", "throughput.png", "status.png")) {
      assertTrue(report.contains("![" + chart + "](" + chart + ")"), report);
      byte[] png = Files.readAllBytes(run.resolve(chart));
      assertTrue(png.length > 5000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', chart + " is not a drawn PNG");
    }
    String gatling = summary().getString("gatling_report");
    assertTrue(Files.exists(run.resolve(gatling).resolve("index.html")), "Gatling's HTML report is missing");
    assertTrue(report.contains(gatling + "/index.html"), report);
  }

  @Test
  void theBenchmarkRoundPutsEachComparisonBesideItsBaseline() throws Exception {
    JsonArray rows = new JsonObject(Files.readString(run.resolve("bench/summary.json"))).getJsonArray("rows");
    assertEquals(3, rows.size(), rows.encodePrettily());
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      assertTrue(row.getDouble("shutterbus") > 0 && row.getDouble("baseline") > 0 && row.getDouble("ratio") > 0, row.encode());
    }
    assertTrue(output.contains("| comparison | Shutterbus | baseline |"), "the table is printed:\n" + output);
    assertTrue(Files.size(run.resolve("bench/benchmark.png")) > 5000);
  }

  private static JsonObject summary() throws Exception {
    return new JsonObject(Files.readString(run.resolve("summary.json")));
  }
}
