package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Grafana dashboards: structure, variables, units, and nothing tied to one deployment. */
class DashboardsTest {
  static final Path DASHBOARDS = Path.of("grafana", "dashboards");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IP = Pattern.compile("\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\b");
  private static final Pattern FIXED_LABEL = Pattern.compile("\\b(namespace|instance|pod)\\s*=~?\\s*\"(?!\\$)");

  static List<JsonNode> dashboards() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        all.add(JSON.readTree(f.toFile()));
      }
    }
    return all;
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    dashboard.path("panels").forEach(p -> {
      if (!"row".equals(p.path("type").asText())) {
        out.add(p);
      }
      p.path("panels").forEach(out::add);
    });
    return out;
  }

  /** Every PromQL expression of every dashboard panel. */
  static List<String> expressions() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode d : dashboards()) {
      for (JsonNode p : panels(d)) {
        p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
      }
    }
    return out;
  }

  @Test
  void theSixDashboardsExistWithUniqueUidsAndTitles() throws IOException {
    List<JsonNode> all = dashboards();
    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (JsonNode d : all) {
      assertTrue(uids.add(d.path("uid").asText()), "duplicate uid " + d.path("uid"));
      assertTrue(titles.add(d.path("title").asText()), "duplicate title " + d.path("title"));
      assertFalse(panels(d).isEmpty(), d.path("title") + " has no panels");
    }
    assertEquals(Set.of("shutterbus-overview", "shutterbus-red", "shutterbus-upload-pipeline", "shutterbus-kafka",
        "shutterbus-postgresql", "shutterbus-jvm"), uids);
  }

  @Test
  void everyDashboardIsTemplatedByDatasourceNamespaceServiceAndInstance() throws IOException {
    for (JsonNode d : dashboards()) {
      List<String> names = new ArrayList<>();
      d.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
      assertEquals(List.of("datasource", "namespace", "service", "instance"), names, d.path("title").asText());
      assertEquals("datasource", d.path("templating").path("list").get(0).path("type").asText());
    }
  }

  @Test
  void everyPanelHasATitleAUnitAndTheDatasourceVariable() throws IOException {
    for (JsonNode d : dashboards()) {
      for (JsonNode p : panels(d)) {
        String where = d.path("title").asText() + " / " + p.path("title").asText();
        assertFalse(p.path("title").asText().isBlank(), "untitled panel in " + d.path("title"));
        assertFalse(p.path("fieldConfig").path("defaults").path("unit").asText().isBlank(), where + " has no unit");
        assertEquals("${datasource}", p.path("datasource").path("uid").asText(), where);
        assertFalse(p.path("targets").isEmpty(), where + " has no query");
        p.path("targets").forEach(t -> assertEquals("${datasource}", t.path("datasource").path("uid").asText(), where));
      }
    }
  }

  @Test
  void queriesAreFilteredByTheVariablesAndHardCodeNoInstanceIpOrNamespace() throws IOException {
    for (JsonNode d : dashboards()) {
      for (JsonNode p : panels(d)) {
        String where = d.path("title").asText() + " / " + p.path("title").asText();
        for (JsonNode t : p.path("targets")) {
          String expr = t.path("expr").asText();
          assertTrue(expr.contains("namespace=~\"$namespace\""), where + " ignores $namespace: " + expr);
          assertFalse(IP.matcher(expr).find(), where + " hard-codes an address: " + expr);
          assertFalse(FIXED_LABEL.matcher(expr).find(), where + " hard-codes a namespace/instance/pod: " + expr);
          if (expr.contains("rate(") || expr.contains("increase(")) {
            assertTrue(expr.contains("[$__rate_interval]") || expr.contains("[30d]") || expr.contains("[30m]"),
                where + " uses a fixed rate window: " + expr);
          }
        }
      }
    }
  }

  /** The seed's five panels: pod status, a histogram of buckets, request count, CPU, memory. */
  @Test
  void theSeedsFivePanelsAreCovered() throws IOException {
    List<String> found = new ArrayList<>();
    for (JsonNode d : dashboards()) {
      for (JsonNode p : panels(d)) {
        String exprs = p.path("targets").toString();
        if (exprs.contains("up{")) {
          found.add("pod status");
        }
        if ("heatmap".equals(p.path("type").asText()) && exprs.contains("_bucket")) {
          found.add("histogram bucket");
        }
        if (exprs.contains("vertx_http_server_requests_total")) {
          found.add("request count");
        }
        if (exprs.contains("process_cpu_usage")) {
          found.add("cpu");
        }
        if (exprs.contains("jvm_memory_used_bytes")) {
          found.add("memory");
        }
      }
    }
    assertTrue(found.containsAll(List.of("pod status", "histogram bucket", "request count", "cpu", "memory")), found.toString());
  }

  @Test
  void theGeneratedDashboardsAreUpToDate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("dashboards"));
    Files.copy(Path.of("grafana", "generate-dashboards"), dir.resolve("generate-dashboards"));
    Tools.ok("python3", dir.resolve("generate-dashboards").toString());
    try (Stream<Path> files = Files.list(dir.resolve("dashboards"))) {
      for (Path f : files.toList()) {
        assertEquals(Files.readString(f), Files.readString(DASHBOARDS.resolve(f.getFileName())),
            f.getFileName() + " differs from what generate-dashboards writes: run it and commit");
      }
    }
  }
}
