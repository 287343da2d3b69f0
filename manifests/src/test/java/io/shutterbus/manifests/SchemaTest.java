package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every object of every rendering is valid against the Kubernetes schemas, unknown fields included. */
class SchemaTest {

  @Test
  void everyRenderedObjectMatchesTheKubernetesSchemasStrictly() {
    List<String> problems = new ArrayList<>();
    int[] checked = {0};
    Combinations.all().forEach(r -> r.objects().forEach(o -> {
      checked[0]++;
      StrictSchema.problems(o).forEach(p -> problems.add(r.name() + ": " + p));
    }));
    assertEquals(List.of(), problems);
    assertTrue(checked[0] > 300, "objects checked: " + checked[0]);
  }

  @Test
  void aMisspelledFieldIsReportedWithItsPath() {
    Rendered r = Kustomize.minikube();
    ObjectNode gateway = r.get("Deployment", "gateway").deepCopy();
    ObjectNode container = (ObjectNode) gateway.path("spec").path("template").path("spec").path("containers").get(0);
    container.set("readinesProbe", container.get("readinessProbe"));
    List<String> problems = StrictSchema.problems(gateway);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("containers[0]") && problems.get(0).contains("readinesProbe"), problems.get(0));
  }

  @Test
  void aStringWhereTheSchemaWantsANumberIsReported() {
    ObjectNode hpa = Kustomize.minikube().get("HorizontalPodAutoscaler", "gateway").deepCopy();
    ((ObjectNode) hpa.path("spec")).put("maxReplicas", "four");
    assertEquals(1, StrictSchema.problems(hpa).size());
  }

  @Test
  void anUnknownFieldInACustomResourceIsReported() {
    ObjectNode scaled = Kustomize.minikube(List.of("keda-worker")).get("ScaledObject", "image-worker").deepCopy();
    ((ObjectNode) scaled.path("spec")).put("maxReplicas", 3);
    assertTrue(StrictSchema.problems(scaled).toString().contains("maxReplicas"));
  }

  @Test
  void theMonitoringResourcesAreCheckedToo() {
    Rendered r = Combinations.minikubeMonitoring();
    assertEquals(List.of(), StrictSchema.problems(r.get("PodMonitor", "shutterbus")));
    ObjectNode rule = r.get("PrometheusRule", "shutterbus").deepCopy();
    assertEquals(List.of(), StrictSchema.problems(rule));
    ObjectNode first = (ObjectNode) rule.path("spec").path("groups").get(0).path("rules").get(0);
    first.set("expression", first.get("expr"));
    assertTrue(StrictSchema.problems(rule).toString().contains("expression"), StrictSchema.problems(rule).toString());
  }
}
