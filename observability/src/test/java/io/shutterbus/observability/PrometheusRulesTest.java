package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** promtool on every config, rule file and rule test, and the rules' own conventions. */
class PrometheusRulesTest {

  @Test
  void everyRuleFileIsValid() {
    List<String> cmd = new ArrayList<>(List.of("promtool", "check", "rules"));
    Rules.files(Rules.RULES).forEach(p -> cmd.add(p.toString()));
    Tools.ok(cmd.toArray(String[]::new));
  }

  @Test
  void everyRuleTestPasses() {
    List<String> cmd = new ArrayList<>(List.of("promtool", "test", "rules"));
    Rules.files(Rules.TESTS).forEach(p -> cmd.add(p.toString()));
    String out = Tools.ok(cmd.toArray(String[]::new));
    assertFalse(out.contains("FAILED"), out);
  }

  @Test
  void theLocalConfigIsValid() {
    Tools.ok("promtool", "check", "config", Rules.PROMETHEUS.resolve("local.yml").toString());
  }

  /**
   * Debian's Prometheus is built without Kubernetes service discovery, so promtool here rejects
   * kubernetes_sd_configs. Everything else (relabelling, regexes, rule files) is checked by
   * swapping the discovery for an empty static list.
   */
  @Test
  void theKubernetesConfigIsValidApartFromDiscovery(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String config = Files.readString(Rules.PROMETHEUS.resolve("kubernetes.yml"));
    assertTrue(config.contains("kubernetes_sd_configs:"), "uses Kubernetes discovery");
    String offline = config
        .replaceAll("kubernetes_sd_configs:\\n\\s+- role: \\w+", "static_configs:\n      - targets: []")
        .replace("/etc/prometheus/rules/*.yml", Rules.RULES.toAbsolutePath() + "/*.yml");
    Path file = dir.resolve("kubernetes-offline.yml");
    Files.writeString(file, offline);
    Tools.ok("promtool", "check", "config", file.toString());
  }

  @Test
  void everyAlertSaysHowBadWhatAndWhereTheRunbookIs() throws Exception {
    String runbooks = Files.readString(Path.of("runbooks.md"));
    Set<String> anchors = new HashSet<>();
    Matcher m = Pattern.compile("(?m)^#{2,3} (.+)$").matcher(runbooks);
    while (m.find()) {
      anchors.add(m.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
    }
    for (Rules.Rule alert : Rules.all().stream().filter(Rules.Rule::alert).toList()) {
      assertTrue(Set.of("page", "ticket", "none").contains(String.valueOf(alert.labels().get("severity"))),
          alert.name() + " severity " + alert.labels().get("severity"));
      for (String key : List.of("summary", "description", "runbook_url")) {
        assertTrue(alert.annotations().containsKey(key), alert.name() + " lacks " + key);
      }
      String url = String.valueOf(alert.annotations().get("runbook_url"));
      assertTrue(url.startsWith("observability/runbooks.md#"), alert.name() + ": " + url);
      String anchor = url.substring(url.indexOf('#') + 1);
      assertTrue(anchors.contains(anchor), alert.name() + ": runbooks.md has no section #" + anchor + " in " + anchors);
    }
  }

  /** Every alert fires in some test and is silent in another; every recording rule is evaluated by one. */
  @Test
  @SuppressWarnings("unchecked")
  void everyRuleIsCoveredByPromtoolTests() {
    Set<String> fired = new HashSet<>();
    Set<String> silent = new HashSet<>();
    StringBuilder exprs = new StringBuilder();
    for (Path file : Rules.files(Rules.TESTS)) {
      for (Map<String, Object> test : (List<Map<String, Object>>) Rules.yaml(file).get("tests")) {
        for (Map<String, Object> a : (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
          List<?> expected = (List<?>) a.get("exp_alerts");
          (expected == null || expected.isEmpty() ? silent : fired).add((String) a.get("alertname"));
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) test.getOrDefault("promql_expr_test", List.of())) {
          exprs.append(e.get("expr")).append('\n');
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Rules.Rule rule : Rules.all()) {
      if (rule.alert()) {
        if (!fired.contains(rule.name())) {
          missing.add(rule.name() + " never fires");
        }
        // The Watchdog fires by definition; it has no healthy state to show.
        if (!silent.contains(rule.name()) && !rule.name().equals("Watchdog")) {
          missing.add(rule.name() + " is never shown silent");
        }
      } else if (!Pattern.compile(Pattern.quote(rule.name()) + "(?![\\w:])").matcher(exprs).find()) {
        missing.add("recording rule " + rule.name() + " has no expression test");
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void theGeneratedSloRulesAreUpToDate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path copy = dir.resolve("prometheus");
    Files.createDirectories(copy.resolve("rules"));
    Files.createDirectories(copy.resolve("tests"));
    Files.copy(Rules.PROMETHEUS.resolve("generate-slo-rules"), copy.resolve("generate-slo-rules"));
    Tools.ok("python3", copy.resolve("generate-slo-rules").toString());
    for (String f : List.of("rules/slo-recording.yml", "rules/slo-alerts.yml", "tests/slo-recording.test.yml",
        "tests/slo-alerts.test.yml")) {
      assertEquals(Files.readString(copy.resolve(f)), Files.readString(Rules.PROMETHEUS.resolve(f)),
          f + " differs from what generate-slo-rules writes: run it and commit");
    }
  }

  /** Every rule and dashboard expression parses with Prometheus' PromQL grammar. */
  @Test
  void everyExpressionParsesAsPromql() throws Exception {
    assertFalse(PromqlNames.namesUsed().isEmpty());
  }
}
