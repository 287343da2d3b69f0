package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks kube-score and kube-linter would make that matter here, over every rendering: each
 * test collects every violation and names the object, so one run shows them all.
 */
class PolicyTest {
  private static final Set<String> SHUTTERBUS_IMAGES =
      Set.of("shutterbus/gateway", "shutterbus/auth", "shutterbus/image", "shutterbus/image-worker", "shutterbus/portal");

  static Stream<Rendered> renderings() {
    return Combinations.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void probesHitADeclaredPortAndAPathTheManagementServerServes(Rendered r) throws IOException {
    Set<String> served = managementRoutes();
    List<String> bad = new ArrayList<>();
    for (JsonNode w : r.workloads()) {
      for (JsonNode c : Rendered.containers(w)) {
        for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
          JsonNode probe = c.path(kind);
          if (probe.isMissingNode()) {
            if (!w.path("kind").asText().equals("Job") && !kind.equals("startupProbe")) {
              bad.add(Rendered.id(w) + " " + c.path("name").asText() + ": no " + kind);
            }
            continue;
          }
          JsonNode port = probe.has("httpGet") ? probe.path("httpGet").path("port") : probe.path("tcpSocket").path("port");
          if (!port.isMissingNode() && Workloads.containerPort(c, port) < 0) {
            bad.add(Rendered.id(w) + " " + kind + " port " + port + " is not a declared container port");
          }
          if (probe.has("httpGet")) {
            String path = probe.path("httpGet").path("path").asText();
            if (!served.contains(path)) {
              bad.add(Rendered.id(w) + " " + kind + " path " + path + " is not served (served: " + served + ")");
            }
            if (!"management".equals(port.asText())) {
              bad.add(Rendered.id(w) + " " + kind + " must use the management port, not " + port);
            }
            if (kind.equals("livenessProbe") && !path.equals("/health/live")) {
              bad.add(Rendered.id(w) + " liveness must not check dependencies: " + path);
            }
          }
        }
      }
    }
    assertEquals(List.of(), bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void selectorsMatchPodLabelsAndEveryServiceHasPodsOnADeclaredPort(Rendered r) {
    List<String> bad = new ArrayList<>();
    for (JsonNode w : r.workloads()) {
      JsonNode selector = w.path("spec").path("selector").path("matchLabels");
      if (!w.path("kind").asText().equals("Job")
          && (selector.isEmpty() || !Rendered.matches(selector, Rendered.podTemplate(w).path("metadata").path("labels")))) {
        bad.add(Rendered.id(w) + ": selector " + selector + " does not match its pod labels");
      }
    }
    for (JsonNode svc : r.kind("Service")) {
      List<JsonNode> pods = r.workloadsMatching(svc.path("spec").path("selector"));
      if (pods.isEmpty()) {
        bad.add(Rendered.id(svc) + ": selects no pods");
      }
      for (JsonNode port : svc.path("spec").path("ports")) {
        for (JsonNode w : pods) {
          if (Rendered.containers(w).stream().noneMatch(c -> Workloads.containerPort(c, port.path("targetPort")) > 0)) {
            bad.add(Rendered.id(svc) + ": targetPort " + port.path("targetPort") + " not declared by " + Rendered.id(w));
          }
        }
      }
    }
    for (JsonNode statefulSet : r.kind("StatefulSet")) {
      String serviceName = statefulSet.path("spec").path("serviceName").asText();
      if (r.find("Service", serviceName).isEmpty()) {
        bad.add(Rendered.id(statefulSet) + ": serviceName " + serviceName + " is no Service");
      }
    }
    assertEquals(List.of(), bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyPodIsHardenedAndBounded(Rendered r) {
    List<String> bad = new ArrayList<>();
    for (JsonNode w : r.workloads()) {
      String id = Rendered.id(w);
      JsonNode pod = Rendered.podSpec(w);
      JsonNode psc = pod.path("securityContext");
      check(bad, psc.path("runAsNonRoot").asBoolean(false), id + ": runAsNonRoot");
      check(bad, psc.path("runAsUser").asInt(0) > 0, id + ": numeric non-root runAsUser");
      check(bad, "RuntimeDefault".equals(psc.path("seccompProfile").path("type").asText()), id + ": seccomp RuntimeDefault");
      check(bad, !pod.path("automountServiceAccountToken").asBoolean(true), id + ": automountServiceAccountToken false");
      check(bad, !pod.path("enableServiceLinks").asBoolean(true),
          id + ": enableServiceLinks false (injected *_PORT variables would clash with PG_PORT, KAFKA_*)");
      check(bad, !pod.path("hostNetwork").asBoolean(false) && !pod.path("hostPID").asBoolean(false), id + ": host namespaces");
      String sa = pod.path("serviceAccountName").asText();
      check(bad, r.find("ServiceAccount", sa).map(s -> !s.path("automountServiceAccountToken").asBoolean(true)).orElse(false),
          id + ": own ServiceAccount " + sa + " with automount off");
      for (JsonNode c : Rendered.containers(w)) {
        String cid = id + " " + c.path("name").asText();
        JsonNode sc = c.path("securityContext");
        check(bad, !sc.path("allowPrivilegeEscalation").asBoolean(true), cid + ": allowPrivilegeEscalation false");
        check(bad, sc.path("readOnlyRootFilesystem").asBoolean(false), cid + ": readOnlyRootFilesystem");
        check(bad, !sc.path("privileged").asBoolean(false), cid + ": not privileged");
        List<String> drop = new ArrayList<>();
        sc.path("capabilities").path("drop").forEach(d -> drop.add(d.asText()));
        check(bad, drop.contains("ALL") && sc.path("capabilities").path("add").isEmpty(), cid + ": capabilities drop ALL, add none");
        JsonNode res = c.path("resources");
        for (String kind : List.of("requests", "limits")) {
          for (String what : List.of("cpu", "memory")) {
            check(bad, res.path(kind).has(what), cid + ": resources." + kind + "." + what);
          }
        }
        check(bad, Quantities.bytes(res.path("limits").path("memory").asText("0"))
            >= Quantities.bytes(res.path("requests").path("memory").asText("0")), cid + ": memory limit >= request");
        check(bad, Quantities.millicores(res.path("limits").path("cpu").asText("0"))
            >= Quantities.millicores(res.path("requests").path("cpu").asText("0")), cid + ": cpu limit >= request");
        String image = c.path("image").asText();
        if (SHUTTERBUS_IMAGES.contains(repository(image))) {
          check(bad, psc.path("runAsUser").asInt() == 65532, cid + ": runAsUser 65532, the images' user");
          check(bad, image.endsWith(":" + projectVersion()), cid + ": image " + image + " tagged with the project version");
          check(bad, c.path("volumeMounts").toString().contains("\"/tmp\""), cid + ": /tmp mounted (read-only root)");
        }
      }
    }
    assertEquals(List.of(), bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void noImageFloatsAndNoSecretIsWrittenLiterally(Rendered r) {
    List<String> bad = new ArrayList<>();
    Pattern secretish = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)$|^CLUSTER_ID$");
    for (JsonNode w : r.workloads()) {
      for (JsonNode c : Rendered.containers(w)) {
        String image = c.path("image").asText();
        boolean pinned = image.contains("@sha256:") || (image.lastIndexOf(':') > image.lastIndexOf('/')
            && !image.endsWith(":latest"));
        check(bad, pinned, Rendered.id(w) + ": image " + image + " needs a fixed tag or digest, never latest");
        check(bad, !"Always".equals(c.path("imagePullPolicy").asText()), Rendered.id(w) + ": images are loaded into minikube");
        for (JsonNode e : c.path("env")) {
          String name = e.path("name").asText();
          if (secretish.matcher(name).matches() && !name.equals("CLUSTER_ID")) {
            check(bad, e.path("valueFrom").has("secretKeyRef"), Rendered.id(w) + ": " + name + " must come from a Secret");
          }
        }
      }
    }
    for (JsonNode secret : r.kind("Secret")) {
      check(bad, Rendered.name(secret).matches(".*-[a-z0-9]{10}"),
          Rendered.id(secret) + ": Secrets only from a secretGenerator (hash-suffixed), never literal");
    }
    assertEquals(List.of(), bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void autoscalersTargetWhatExistsAndTheWorkerNeverOutnumbersPartitions(Rendered r) {
    List<String> bad = new ArrayList<>();
    for (JsonNode hpa : r.kind("HorizontalPodAutoscaler")) {
      JsonNode ref = hpa.path("spec").path("scaleTargetRef");
      var target = r.find(ref.path("kind").asText(), ref.path("name").asText());
      check(bad, target.isPresent(), Rendered.id(hpa) + ": target " + ref + " exists");
      target.ifPresent(t -> {
        check(bad, !t.path("spec").has("replicas"), Rendered.id(t) + ": no fixed replicas beside an HPA (apply would fight it)");
        Rendered.containers(t).forEach(c -> check(bad, c.path("resources").path("requests").has("cpu"),
            Rendered.id(hpa) + ": CPU utilisation needs cpu requests on " + Rendered.id(t)));
      });
      check(bad, hpa.path("spec").path("minReplicas").asInt(1) <= hpa.path("spec").path("maxReplicas").asInt(),
          Rendered.id(hpa) + ": min <= max");
    }
    for (JsonNode so : r.kind("ScaledObject")) {
      check(bad, r.find("Deployment", so.path("spec").path("scaleTargetRef").path("name").asText()).isPresent(),
          Rendered.id(so) + ": target exists");
    }
    int partitions = Integer.parseInt(r.data("ConfigMap", "kafka-topics").get("KAFKA_TOPIC_PARTITIONS"));
    JsonNode worker = r.get("Deployment", "image-worker");
    int parallelism = Integer.parseInt(r.env(worker, "image-worker", false).get("IMAGE_WORKER_PARALLELISM"));
    int max = r.find("HorizontalPodAutoscaler", "image-worker").map(h -> h.path("spec").path("maxReplicas").asInt())
        .or(() -> r.find("ScaledObject", "image-worker").map(s -> s.path("spec").path("maxReplicaCount").asInt()))
        .orElseThrow(() -> new AssertionError("the image-worker has no autoscaler"));
    check(bad, max * parallelism <= partitions, "image-worker: max replicas " + max + " x IMAGE_WORKER_PARALLELISM "
        + parallelism + " must not exceed the " + partitions + " partitions of images.uploaded");
    r.find("ScaledObject", "image-worker").ifPresent(so -> {
      JsonNode meta = so.path("spec").path("triggers").get(0).path("metadata");
      check(bad, meta.path("consumerGroup").asText().equals("image-worker") && meta.path("topic").asText().equals("images.uploaded"),
          "ScaledObject watches group image-worker on images.uploaded");
      check(bad, meta.path("bootstrapServers").asText().equals(r.data("ConfigMap", "kafka-connection")
          .get("KAFKA_BOOTSTRAP_SERVERS")), "ScaledObject uses the services' bootstrap servers");
    });
    assertEquals(List.of(), bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyReplicatedDeploymentHasADisruptionBudgetAndPortVariablesMatchContainerPorts(Rendered r) {
    List<String> bad = new ArrayList<>();
    for (JsonNode d : r.kind("Deployment")) {
      int replicas = Math.max(d.path("spec").path("replicas").asInt(1), r.kind("HorizontalPodAutoscaler").stream()
          .filter(h -> h.path("spec").path("scaleTargetRef").path("name").asText().equals(Rendered.name(d)))
          .mapToInt(h -> h.path("spec").path("minReplicas").asInt(1)).max().orElse(1));
      if (replicas > 1) {
        check(bad, r.kind("PodDisruptionBudget").stream().anyMatch(p -> Rendered.matches(
            p.path("spec").path("selector").path("matchLabels"), Rendered.podTemplate(d).path("metadata").path("labels"))),
            Rendered.id(d) + ": " + replicas + " replicas need a PodDisruptionBudget");
      }
      String container = Rendered.containers(d).get(0).path("name").asText();
      r.env(d, container, false).forEach((k, v) -> {
        if (k.endsWith("_PORT") && !k.startsWith("PG_")) {
          check(bad, Workloads.containerPort(Rendered.container(d, container), com.fasterxml.jackson.databind.node.IntNode
              .valueOf(Integer.parseInt(v))) > 0, Rendered.id(d) + ": " + k + "=" + v + " is a declared containerPort");
        }
      });
    }
    for (JsonNode svc : r.kind("Service")) {
      check(bad, !Rendered.name(svc).startsWith("kafka"), Rendered.id(svc)
          + ": a Service named kafka* injects KAFKA_* variables that the Kafka image reads as broker config");
    }
    assertEquals(List.of(), bad);
  }

  private static void check(List<String> bad, boolean ok, String what) {
    if (!ok) {
      bad.add(what);
    }
  }

  private static String repository(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  /** GET routes of the kit's management server, read from its source (this module imports no service code). */
  static Set<String> managementRoutes() throws IOException {
    Path source = Kustomize.sourceDir().getParent()
        .resolve("service-kit/src/main/java/io/shutterbus/kit/mgmt/ManagementVerticle.java");
    Matcher m = Pattern.compile("router\\.get\\(\"([^\"]+)\"\\)").matcher(Files.readString(source));
    Set<String> routes = new java.util.TreeSet<>();
    while (m.find()) {
      routes.add(m.group(1));
    }
    assertTrue(routes.contains("/health/ready"), "routes read from " + source + ": " + routes);
    return routes;
  }

  static String projectVersion() {
    try {
      String pom = Files.readString(Kustomize.sourceDir().getParent().resolve("pom.xml"));
      Matcher m = Pattern.compile("<artifactId>shutterbus-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
      assertTrue(m.find(), "root pom version");
      return m.group(1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
