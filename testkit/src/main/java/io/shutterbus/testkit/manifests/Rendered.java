package io.shutterbus.testkit.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects one {@code kubectl kustomize} produced, with the look-ups the tests share. */
public record Rendered(String name, String yaml, List<JsonNode> objects) {
  /** Kinds whose pod template runs something. */
  public static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "Job", "DaemonSet");

  public List<JsonNode> kind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  public Optional<JsonNode> find(String kind, String name) {
    return kind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
  }

  public JsonNode get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + this.name));
  }

  public List<JsonNode> workloads() {
    return objects.stream().filter(o -> WORKLOADS.contains(o.path("kind").asText())).toList();
  }

  public static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  public static String id(JsonNode o) {
    return o.path("kind").asText() + "/" + name(o);
  }

  public static JsonNode podTemplate(JsonNode workload) {
    return workload.path("spec").path("template");
  }

  public static JsonNode podSpec(JsonNode workload) {
    return podTemplate(workload).path("spec");
  }

  public static List<JsonNode> containers(JsonNode workload) {
    List<JsonNode> all = new ArrayList<>();
    podSpec(workload).path("initContainers").forEach(all::add);
    podSpec(workload).path("containers").forEach(all::add);
    return all;
  }

  public static JsonNode container(JsonNode workload, String name) {
    return containers(workload).stream().filter(c -> name.equals(c.path("name").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + id(workload)));
  }

  /**
   * The environment the container gets, as Kubernetes builds it: envFrom ConfigMaps/Secrets first,
   * then env entries (literal values, configMapKeyRef, secretKeyRef) in order, later ones winning.
   * Every reference must resolve in this rendering, else it is an AssertionError.
   */
  public Map<String, String> env(JsonNode workload, String containerName) {
    return env(workload, containerName, true);
  }

  /** As {@link #env(JsonNode, String)}; without {@code resolveSecrets} a Secret reference reads as
   * {@code <secret:name/key>} (the base has no Secrets: overlays generate them). */
  public Map<String, String> env(JsonNode workload, String containerName, boolean resolveSecrets) {
    JsonNode c = container(workload, containerName);
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : c.path("envFrom")) {
      String prefix = from.path("prefix").asText("");
      if (from.has("configMapRef")) {
        data("ConfigMap", from.path("configMapRef").path("name").asText())
            .forEach((k, v) -> env.put(prefix + k, v));
      }
      if (from.has("secretRef")) {
        data("Secret", from.path("secretRef").path("name").asText()).forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    for (JsonNode e : c.path("env")) {
      String key = e.path("name").asText();
      if (e.has("value")) {
        env.put(key, e.path("value").asText());
      } else if (e.path("valueFrom").has("configMapKeyRef")) {
        JsonNode ref = e.path("valueFrom").path("configMapKeyRef");
        env.put(key, value("ConfigMap", ref.path("name").asText(), ref.path("key").asText()));
      } else if (e.path("valueFrom").has("secretKeyRef")) {
        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
        env.put(key, resolveSecrets ? value("Secret", ref.path("name").asText(), ref.path("key").asText())
            : "<secret:" + ref.path("name").asText() + "/" + ref.path("key").asText() + ">");
      } else {
        env.put(key, "");
      }
    }
    return env;
  }

  /** A ConfigMap's data, or a Secret's data decoded. */
  public Map<String, String> data(String kind, String name) {
    JsonNode o = get(kind, name);
    Map<String, String> data = new LinkedHashMap<>();
    o.path("data").fields().forEachRemaining(f -> data.put(f.getKey(), "Secret".equals(kind)
        ? new String(Base64.getMimeDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)
        : f.getValue().asText()));
    o.path("stringData").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
    return data;
  }

  private String value(String kind, String name, String key) {
    Map<String, String> data = data(kind, name);
    if (!data.containsKey(key)) {
      throw new AssertionError(kind + " " + name + " has no key " + key);
    }
    return data.get(key);
  }

  /** The pods a label selector (matchLabels) picks, as their workloads. */
  public List<JsonNode> workloadsMatching(JsonNode matchLabels) {
    return workloads().stream().filter(w -> matches(matchLabels, podTemplate(w).path("metadata").path("labels")))
        .toList();
  }

  public static boolean matches(JsonNode matchLabels, JsonNode labels) {
    if (matchLabels == null || matchLabels.isMissingNode()) {
      return true;
    }
    var it = matchLabels.fields();
    while (it.hasNext()) {
      var f = it.next();
      if (!f.getValue().asText().equals(labels.path(f.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
