package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metric names that expressions read, found by Prometheus' own PromQL grammar (npm
 * {@code @prometheus-io/lezer-promql}, run by node from {@code promql/metric-names.mjs}).
 */
final class PromqlNames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PromqlNames() {
  }

  /** Every expression of every rule and dashboard panel, keyed by the name it is used under. */
  static Map<String, String> allExpressions() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (Rules.Rule r : Rules.all()) {
      out.put("rule " + r.name() + (r.labels().containsKey("slo") ? " " + r.labels().get("slo") : "") + " (" + r.file() + ")", r.expr());
    }
    List<String> panels = DashboardsTest.expressions();
    for (int i = 0; i < panels.size(); i++) {
      out.put("dashboard query " + i, panels.get(i));
    }
    return out;
  }

  /** Metric name → where it is used; a parse error fails the test naming the expression. */
  static Map<String, List<String>> namesUsed() throws IOException {
    Map<String, String> exprs = allExpressions();
    List<String> keys = new ArrayList<>(exprs.keySet());
    Tools.Result r = Tools.run(List.of("node", "promql/metric-names.mjs"),
        JSON.writeValueAsString(keys.stream().map(exprs::get).toList()), 60);
    if (r.exit() != 0) {
      fail("node promql/metric-names.mjs failed (run `npm ci` in observability/promql):\n" + r.output());
    }
    JsonNode result = JSON.readTree(r.output());
    Map<String, List<String>> used = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonNode names = result.get(i);
      if (names.isObject()) {
        fail(keys.get(i) + ": " + names.path("error").asText() + "\n" + exprs.get(keys.get(i)));
      }
      for (JsonNode n : names) {
        used.computeIfAbsent(n.asText(), k -> new ArrayList<>()).add(keys.get(i));
      }
    }
    return used;
  }

  static TreeSet<String> recordedNames() {
    TreeSet<String> out = new TreeSet<>();
    Rules.all().stream().filter(r -> !r.alert()).forEach(r -> out.add(r.name()));
    return out;
  }
}
