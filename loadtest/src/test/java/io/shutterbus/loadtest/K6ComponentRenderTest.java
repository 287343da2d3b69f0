package io.shutterbus.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * manifests/components/k6 renders when an overlay includes it: a throw-away overlay with stand-ins
 * for the gateway Deployment (and, in one case, its NetworkPolicy) is rendered with kubectl kustomize.
 */
class K6ComponentRenderTest {
  private static final String GATEWAY = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: gateway
      spec:
        selector:
          matchLabels:
            app.kubernetes.io/name: gateway
        template:
          metadata:
            labels:
              app.kubernetes.io/name: gateway
          spec:
            containers:
              - name: gateway
                image: shutterbus/gateway
      """;
  private static final String GATEWAY_POLICY = """
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: gateway
      spec:
        podSelector:
          matchLabels:
            app.kubernetes.io/name: gateway
        policyTypes: [Ingress]
        ingress:
          - ports:
              - port: 9080
      """;
  private Path dir;

  @BeforeEach
  void copyTheComponent() throws IOException {
    dir = Files.createTempDirectory("k6-component");
    Path source = Paths.repository().resolve("manifests/components/k6");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = dir.resolve("components/k6").resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.createDirectories(dir.resolve("overlay"));
    Files.writeString(dir.resolve("overlay/kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: shutterbus
        resources:
          - gateway.yaml
        components:
          - ../components/k6
        """);
  }

  @AfterEach
  void removeIt() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void theJobRunsTheScriptsFromTheConfigMapAndTheGatewayAdmitsIt() throws Exception {
    Files.writeString(dir.resolve("overlay/gateway.yaml"), GATEWAY + GATEWAY_POLICY);
    String rendered = render();
    assertTrue(rendered.contains("kind: Job") && rendered.contains("image: grafana/k6:"), rendered);
    for (String file : K6ScriptsTest.FILES) {
      assertTrue(rendered.contains("  " + file + ": |"), "the ConfigMap lacks " + file);
    }
    assertTrue(rendered.matches("(?s).*name: k6-scripts-[a-z0-9]+\\n.*configMap:\\n\\s+name: k6-scripts-[a-z0-9]+.*"),
        "the Job mounts the generated ConfigMap by its hashed name");
    assertTrue(rendered.contains("/scripts/$(K6_SCENARIO).js"), rendered);
    assertTrue(rendered.contains("name: GATEWAY_LOGIN_BURST"), "the gateway's login bucket is lifted");
    assertTrue(rendered.matches("(?s).*name: gateway\\n  namespace: shutterbus\\nspec:\\n  ingress:.*k6-load.*"),
        "the gateway NetworkPolicy admits the k6 pod:\n" + rendered);
  }

  @Test
  void itRendersWithoutTheNetworkPoliciesComponentToo() throws Exception {
    Files.writeString(dir.resolve("overlay/gateway.yaml"), GATEWAY);
    String rendered = render();
    assertTrue(rendered.contains("kind: Job"), rendered);
    assertEquals(1, rendered.split("kind: NetworkPolicy").length - 1, "only the k6 pod's own policy:\n" + rendered);
  }

  private String render() throws Exception {
    Processes.require("kubectl", "kubectl (>= 1.27; kubectl kustomize renders offline)");
    Processes.Done done = Processes.run(dir, 120, "kubectl", "kustomize", "overlay");
    assertEquals(0, done.exitCode(), "kubectl kustomize failed:\n" + done.output());
    return done.output();
  }
}
