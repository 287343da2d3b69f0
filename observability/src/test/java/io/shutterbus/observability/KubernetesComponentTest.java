package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** manifests/components/monitoring renders inside an overlay and carries every rule and dashboard. */
class KubernetesComponentTest {
  private static final Path COMPONENT = Path.of("..", "manifests", "components", "monitoring");

  @Test
  @SuppressWarnings("unchecked")
  void theComponentRendersInAnOverlayWithEveryRuleAndDashboard() throws Exception {
    // kustomize only accepts relative component paths, so the throw-away overlay lives in target/
    Path overlay = Path.of("target", "throwaway-overlay");
    Files.createDirectories(overlay);
    Files.writeString(overlay.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: shutterbus
        components:
          - ../../../manifests/components/monitoring
        """);
    String rendered = Tools.ok("kubectl", "kustomize", overlay.toString());
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    for (Object doc : new Yaml().loadAll(rendered)) {
      Map<String, Object> m = (Map<String, Object>) doc;
      byKind.put((String) m.get("kind"), m);
      assertEquals("shutterbus", ((Map<String, Object>) m.get("metadata")).get("namespace"), "namespaced by the overlay");
    }
    assertEquals(Set.of("PodMonitor", "PrometheusRule", "ConfigMap"), byKind.keySet());

    Map<String, Object> podMonitor = (Map<String, Object>) byKind.get("PodMonitor").get("spec");
    String monitor = podMonitor.toString();
    for (String s : List.of("gateway", "auth", "image", "image-worker", "portal", "port=management", "replacement=shutterbus")) {
      assertTrue(monitor.contains(s), "PodMonitor lacks " + s + ": " + monitor);
    }

    Set<String> inRule = new HashSet<>();
    List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) byKind.get("PrometheusRule").get("spec")).get("groups");
    groups.forEach(g -> ((List<Map<String, Object>>) g.get("rules")).forEach(r ->
        inRule.add(String.valueOf(r.containsKey("alert") ? r.get("alert") : r.get("record")) + "|" + r.get("expr"))));
    Set<String> inFiles = new HashSet<>();
    Rules.all().forEach(r -> inFiles.add(r.name() + "|" + r.expr()));
    assertEquals(inFiles, inRule, "the PrometheusRule is out of date: run observability/generate-kubernetes");

    Map<String, Object> configMap = byKind.get("ConfigMap");
    assertEquals("1", ((Map<String, Object>) ((Map<String, Object>) configMap.get("metadata")).get("labels")).get("grafana_dashboard"));
    Map<String, String> data = (Map<String, String>) configMap.get("data");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(DashboardsTest.DASHBOARDS)) {
      for (Path f : files.sorted().toList()) {
        names.add(f.getFileName().toString());
        assertEquals(Files.readString(f), data.get(f.getFileName().toString()),
            f.getFileName() + " in the ConfigMap is out of date: run observability/generate-kubernetes");
      }
    }
    assertEquals(new HashSet<>(names), data.keySet());
  }
}
