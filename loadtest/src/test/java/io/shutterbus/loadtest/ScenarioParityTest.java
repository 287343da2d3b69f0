package io.shutterbus.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** k6 and Gatling name the same requests with the same thresholds as scenarios.md, scenario by scenario. */
class ScenarioParityTest {
  private static final Pattern K6_P = Pattern.compile("p\\((95|99)\\)<(\\d+)");
  private static final Pattern GATLING_LATENCY = Pattern.compile("latency\\((?:\"[a-z_]+\",\\s*)?\"([a-z_]+)\",\\s*(\\d+),\\s*(\\d+)\\)");
  private static final Pattern GATLING_FAILED = Pattern.compile("failedShare\\(([0-9.]+)\\)");
  private static final Pattern GATLING_READY = Pattern.compile("acceptedToReady\\((\\d+)\\)");
  private static final Pattern GATLING_READY_PERCENTILE = Pattern.compile(
      "acceptedToReady\\(int p99\\) \\{\\s*return List.of\\(details\\(\"accepted_to_ready\"\\).responseTime\\(\\).percentile\\(99.0\\)");
  private static final Pattern K6_FAILED = Pattern.compile("rate<([0-9.]+)");
  private final Map<String, ScenarioDocument.Limits> document = ScenarioDocument.read(Paths.module().resolve("scenarios.md"));

  @Test
  void theDocumentListsTheThreeScenarios() {
    assertEquals(List.of("browse", "burst", "journey"), List.copyOf(document.keySet()));
  }

  @Test
  void k6ThresholdsAreTheDocumentedOnes() {
    for (String scenario : K6ScriptsTest.SCENARIOS) {
      assertEquals(document.get(scenario), k6(Paths.module().resolve("k6/" + scenario + ".js")), "k6/" + scenario + ".js");
    }
  }

  @Test
  void gatlingAssertionsAreTheDocumentedOnes() {
    String source = K6ScriptsTest.readString(
        Paths.module().resolve("src/test/java/io/shutterbus/loadtest/gatling/Scenarios.java"));
    for (String scenario : K6ScriptsTest.SCENARIOS) {
      assertEquals(document.get(scenario), gatling(source, scenario), "Gatling Scenarios." + scenario + "Thresholds()");
    }
    assertTrue(GATLING_READY_PERCENTILE.matcher(source).find(), "Gatling holds accepted_to_ready at p99, as documented");
  }

  @Test
  void aDriftedThresholdIsNoticed() {
    String drifted = "static List<List<Assertion>> journeyThresholds() {\n return List.of(failedShare(0.01), "
        + "latency(\"login\", 1500, 3001));\n }";
    ScenarioDocument.Limits limits = gatling(drifted, "journey");
    assertEquals(List.of(1500, 3001), limits.latency().get("login"));
    org.junit.jupiter.api.Assertions.assertNotEquals(document.get("journey"), limits);
  }

  static ScenarioDocument.Limits k6(Path script) {
    Map<String, List<Integer>> latency = new TreeMap<>();
    double failed = Double.NaN;
    Integer ready = null;
    for (K6Scripts.Threshold t : K6Scripts.thresholds(K6ScriptsTest.readString(script)).values()) {
      if (t.metric().equals("http_req_duration")) {
        int p95 = 0;
        int p99 = 0;
        for (String c : t.conditions()) {
          Matcher m = K6_P.matcher(c);
          if (m.matches()) {
            if (m.group(1).equals("95")) {
              p95 = Integer.parseInt(m.group(2));
            } else {
              p99 = Integer.parseInt(m.group(2));
            }
          }
        }
        latency.put(t.tagValue(), List.of(p95, p99));
      } else if (t.metric().equals("http_req_failed")) {
        Matcher m = K6_FAILED.matcher(t.conditions().get(0));
        failed = m.matches() ? Double.parseDouble(m.group(1)) : Double.NaN;
      } else if (t.metric().equals("accepted_to_ready")) {
        Matcher m = K6_P.matcher(t.conditions().get(0));
        ready = m.matches() && m.group(1).equals("99") ? Integer.parseInt(m.group(2)) : null;
      }
    }
    return new ScenarioDocument.Limits(latency, failed, ready);
  }

  static ScenarioDocument.Limits gatling(String source, String scenario) {
    Matcher method = Pattern.compile(scenario + "Thresholds\\(\\)\\s*\\{(.*?)\\n\\s*\\}", Pattern.DOTALL).matcher(source);
    if (!method.find()) {
      throw new AssertionError("no " + scenario + "Thresholds() in the Gatling scenarios");
    }
    String body = method.group(1);
    Map<String, List<Integer>> latency = new TreeMap<>();
    GATLING_LATENCY.matcher(body).results()
        .forEach(r -> latency.put(r.group(1), List.of(Integer.parseInt(r.group(2)), Integer.parseInt(r.group(3)))));
    Matcher failed = GATLING_FAILED.matcher(body);
    Matcher ready = GATLING_READY.matcher(body);
    return new ScenarioDocument.Limits(latency, failed.find() ? Double.parseDouble(failed.group(1)) : Double.NaN,
        ready.find() ? Integer.parseInt(ready.group(1)) : null);
  }
}
