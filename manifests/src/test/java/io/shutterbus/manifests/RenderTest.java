package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay x component combination renders, and each component does what it says. */
class RenderTest {

  static Stream<List<String>> componentSets() {
    return Combinations.MINIKUBE_COMPONENTS.stream();
  }

  @ParameterizedTest(name = "minikube + {0}")
  @MethodSource("componentSets")
  void minikubeOverlayRendersWithEveryComponentCombination(List<String> components) {
    Rendered r = Kustomize.minikube(components);
    for (String svc : List.of("gateway", "auth", "image", "image-worker", "portal")) {
      assertEquals("shutterbus", r.get("Deployment", svc).path("metadata").path("namespace").asText(),
          svc + " lands in the shutterbus namespace");
    }
    boolean policies = components.contains("network-policies");
    assertEquals(policies, r.find("NetworkPolicy", "default-deny-all").isPresent(), "deny-all iff the component is on");
    boolean tls = components.contains("tls") || components.contains("cert-manager");
    JsonAssert.ingressTls(r, tls);
    assertEquals(components.contains("cert-manager"), r.find("Certificate", "shutterbus-tls").isPresent());
    boolean keda = components.contains("keda-worker");
    assertEquals(keda, r.find("ScaledObject", "image-worker").isPresent());
    assertEquals(!keda, r.find("HorizontalPodAutoscaler", "image-worker").isPresent(),
        "KEDA replaces the worker's CPU HPA (two autoscalers on one Deployment fight)");
    r.objects().forEach(o -> assertFalse(o.path("metadata").path("namespace").asText("shutterbus").isEmpty()));
  }

  @Test
  void baseRendersAlone() {
    Rendered base = Kustomize.base();
    assertTrue(base.objects().size() > 20, "base objects: " + base.objects().size());
    assertTrue(base.find("Secret", "postgres-credentials").isEmpty(), "the base generates no secrets");
  }

  @Test
  void theLoadOverlayIsTheAppliedOneWithTheK6JobLiftedLoginBucketsAndQuota() {
    Rendered applied = Kustomize.minikube();
    Rendered load = Combinations.minikubeLoad();
    assertTrue(load.find("Job", "k6-load").isPresent(), "the k6 Job");
    assertEquals("shutterbus", load.get("Job", "k6-load").path("metadata").path("namespace").asText());
    Map<String, String> k6 = load.env(load.get("Job", "k6-load"), "k6");
    assertEquals("journey", k6.get("K6_SCENARIO"));
    assertEquals("http://gateway:8080", k6.get("BASE_URL"));
    assertEquals("100000", load.env(load.get("Deployment", "gateway"), "gateway").get("GATEWAY_LOGIN_RATE_PER_MINUTE"));
    assertEquals(null, applied.env(applied.get("Deployment", "gateway"), "gateway").get("GATEWAY_LOGIN_RATE_PER_MINUTE"),
        "the applied overlay keeps the default login limit");
    assertEquals("10000000", load.env(load.get("Deployment", "image"), "image").get("IMAGE_QUOTA_COUNT"));
    assertEquals(null, applied.env(applied.get("Deployment", "image"), "image").get("IMAGE_QUOTA_COUNT"));
    for (JsonNode o : applied.objects()) {
      assertTrue(load.find(o.path("kind").asText(), Rendered.name(o)).isPresent(), Rendered.id(o) + " is in the load overlay");
    }
  }

  @Test
  void theAppliedOverlayHasNetworkPoliciesOnAndTlsOff() {
    Rendered applied = Kustomize.minikube();
    assertTrue(applied.find("NetworkPolicy", "default-deny-all").isPresent());
    JsonAssert.ingressTls(applied, false);
  }
}
