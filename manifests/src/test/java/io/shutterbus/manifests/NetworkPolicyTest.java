package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shutterbus.manifests.NetworkEdges.Edge;
import io.shutterbus.testkit.manifests.Rendered;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With the network-policies component on: deny by default, every pod covered, every connection
 * the config makes allowed at both ends, no pod-to-pod allow without such a connection, the
 * ingress controller reaching what the Ingress routes to, and monitoring reaching management
 * ports only.
 */
class NetworkPolicyTest {
  private static final Set<String> CLI_PODS = Set.of("events");

  static Stream<Rendered> withPolicies() {
    return Stream.concat(Combinations.minikubeVariants(), Stream.of(Combinations.minikubeLoad()))
        .filter(r -> r.find("NetworkPolicy", "default-deny-all").isPresent());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withPolicies")
  void everyPodIsCoveredByDenyAllAndAPolicyOfItsOwn(Rendered r) {
    JsonNode deny = r.get("NetworkPolicy", "default-deny-all").path("spec");
    assertTrue(deny.path("podSelector").isEmpty() && deny.path("policyTypes").toString().contains("Ingress")
        && deny.path("policyTypes").toString().contains("Egress") && !deny.has("ingress") && !deny.has("egress"));
    List<String> uncovered = new ArrayList<>();
    for (JsonNode w : r.workloads()) {
      JsonNode labels = Rendered.podTemplate(w).path("metadata").path("labels");
      boolean own = r.kind("NetworkPolicy").stream().anyMatch(p -> !p.path("spec").path("podSelector").isEmpty()
          && Rendered.matches(p.path("spec").path("podSelector").path("matchLabels"), labels));
      if (!own) {
        uncovered.add(Rendered.id(w));
      }
    }
    assertEquals(List.of(), uncovered);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withPolicies")
  void everyConnectionTheConfigMakesIsAllowedAtBothEndsAndNothingElse(Rendered r) {
    List<String> problems = new ArrayList<>();
    Set<Edge> edges = NetworkEdges.derive(r, problems);
    assertTrue(edges.size() >= 12, "edges derived from the config: " + edges);
    for (Edge e : edges) {
      if (!allows(r, e.from(), "egress", "to", e.to(), e.port())) {
        problems.add("no egress policy lets " + e.from() + " reach " + e.to() + ":" + e.port() + " (" + e.because() + ")");
      }
      if (!allows(r, e.to(), "ingress", "from", e.from(), e.port())) {
        problems.add("no ingress policy admits " + e.from() + " to " + e.to() + ":" + e.port() + " (" + e.because() + ")");
      }
    }
    for (JsonNode p : r.kind("NetworkPolicy")) {
      String self = p.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText();
      for (String[] dir : new String[][] {{"ingress", "from"}, {"egress", "to"}}) {
        for (JsonNode rule : p.path("spec").path(dir[0])) {
          for (JsonNode peer : rule.path(dir[1])) {
            if (peer.has("namespaceSelector") || !peer.has("podSelector")) {
              continue;
            }
            String other = peer.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText();
            for (JsonNode port : rule.path("ports")) {
              String from = dir[0].equals("ingress") ? other : self;
              String to = dir[0].equals("ingress") ? self : other;
              if (!CLI_PODS.contains(from) && edges.stream().noneMatch(e -> e.from().equals(from) && e.to().equals(to)
                  && e.port() == port.path("port").asInt())) {
                problems.add(Rendered.id(p) + " allows " + from + " -> " + to + ":" + port.path("port").asInt()
                    + ", a connection no config makes");
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withPolicies")
  void theIngressControllerReachesEveryBackendAndMonitoringOnlyManagementPorts(Rendered r) {
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : r.get("Ingress", "shutterbus").path("spec").path("rules")) {
      for (JsonNode path : rule.path("http").path("paths")) {
        JsonNode backend = path.path("backend").path("service");
        JsonNode svc = r.get("Service", backend.path("name").asText());
        for (JsonNode w : r.workloadsMatching(svc.path("spec").path("selector"))) {
          int port = Workloads.containerPort(Rendered.containers(w).get(0), backend.path("port").path("name"));
          if (!fromNamespace(r, NetworkEdges.app(Rendered.podTemplate(w)), "ingress-nginx", port)) {
            problems.add("ingress-nginx cannot reach " + Rendered.id(w) + ":" + port + " (" + path.path("path").asText() + ")");
          }
        }
      }
    }
    for (JsonNode w : r.kind("Deployment")) {
      int management = Workloads.containerPort(Rendered.containers(w).get(0),
          com.fasterxml.jackson.databind.node.TextNode.valueOf("management"));
      if (!fromNamespace(r, NetworkEdges.app(Rendered.podTemplate(w)), "monitoring", management)) {
        problems.add("monitoring cannot scrape " + Rendered.id(w) + ":" + management);
      }
    }
    for (JsonNode p : r.kind("NetworkPolicy")) {
      for (JsonNode rule : p.path("spec").path("ingress")) {
        if (rule.toString().contains("\"monitoring\"")) {
          for (JsonNode port : rule.path("ports")) {
            String app = p.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText();
            JsonNode w = r.get("Deployment", app);
            if (Workloads.containerPort(Rendered.containers(w).get(0),
                com.fasterxml.jackson.databind.node.TextNode.valueOf("management")) != port.path("port").asInt()) {
              problems.add(Rendered.id(p) + ": monitoring admitted to a non-management port " + port);
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Does a policy selecting pod {@code self} allow {@code direction} to/from pod {@code other} on {@code port}? */
  private static boolean allows(Rendered r, String self, String direction, String peerKey, String other, int port) {
    return r.kind("NetworkPolicy").stream()
        .filter(p -> selects(p, self) && p.path("spec").path("policyTypes").toString().toLowerCase().contains(direction))
        .flatMap(p -> stream(p.path("spec").path(direction)))
        .anyMatch(rule -> stream(rule.path(peerKey)).anyMatch(peer -> !peer.has("namespaceSelector")
            && peer.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText().equals(other))
            && (rule.path("ports").isEmpty() || stream(rule.path("ports")).anyMatch(pt -> pt.path("port").asInt() == port)));
  }

  private static boolean fromNamespace(Rendered r, String self, String namespace, int port) {
    return r.kind("NetworkPolicy").stream().filter(p -> selects(p, self))
        .flatMap(p -> stream(p.path("spec").path("ingress")))
        .anyMatch(rule -> stream(rule.path("from")).anyMatch(peer -> namespace.equals(
            peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText()))
            && stream(rule.path("ports")).anyMatch(pt -> pt.path("port").asInt() == port));
  }

  private static boolean selects(JsonNode policy, String app) {
    return app.equals(policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText());
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }
}
