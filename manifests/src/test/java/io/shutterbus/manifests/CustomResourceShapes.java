package io.shutterbus.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The custom resources the components use, checked field by field against their CRDs' documented
 * fields (cert-manager.io/v1, keda.sh/v1alpha1, monitoring.coreos.com/v1): the fabric8 core model has
 * no types for them.
 * Only the fields these manifests use or may plausibly use are listed; anything else is an error.
 */
final class CustomResourceShapes {
  private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");
  private static final Map<String, Map<String, Set<String>>> SHAPES = Map.of(
      "cert-manager.io/v1/Issuer", Map.of(
          "spec", Set.of("selfSigned", "ca", "acme", "vault", "venafi")),
      "cert-manager.io/v1/Certificate", Map.of(
          "spec", Set.of("secretName", "commonName", "dnsNames", "ipAddresses", "duration", "renewBefore",
              "privateKey", "issuerRef", "usages", "subject", "isCA", "secretTemplate"),
          "spec.privateKey", Set.of("algorithm", "size", "encoding", "rotationPolicy"),
          "spec.issuerRef", Set.of("name", "kind", "group")),
      "keda.sh/v1alpha1/ScaledObject", Map.of(
          "spec", Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "idleReplicaCount",
              "pollingInterval", "cooldownPeriod", "triggers", "advanced", "fallback"),
          "spec.scaleTargetRef", Set.of("name", "kind", "apiVersion", "envSourceContainerName"),
          "spec.triggers[]", Set.of("type", "metadata", "name", "authenticationRef", "metricType"),
          "spec.triggers[].metadata", Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
              "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
              "excludePersistentLag", "limitToPartitionsWithLag", "partitionLimitation", "version")),
      "monitoring.coreos.com/v1/PodMonitor", Map.of(
          "spec", Set.of("selector", "namespaceSelector", "podMetricsEndpoints", "jobLabel", "podTargetLabels",
              "sampleLimit", "targetLimit", "labelLimit", "attachMetadata"),
          "spec.podMetricsEndpoints[]", Set.of("port", "portNumber", "targetPort", "path", "scheme", "params",
              "interval", "scrapeTimeout", "honorLabels", "honorTimestamps", "relabelings", "metricRelabelings",
              "enableHttp2", "followRedirects", "filterRunning", "basicAuth", "authorization", "tlsConfig"),
          "spec.podMetricsEndpoints[].relabelings[]", Set.of("sourceLabels", "separator", "targetLabel", "regex",
              "modulus", "replacement", "action")),
      "monitoring.coreos.com/v1/PrometheusRule", Map.of(
          "spec", Set.of("groups"),
          "spec.groups[]", Set.of("name", "interval", "rules", "limit", "partial_response_strategy", "query_offset"),
          "spec.groups[].rules[]", Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels",
              "annotations")));

  private CustomResourceShapes() {
  }

  static boolean handles(String type) {
    return SHAPES.containsKey(type);
  }

  static void check(String type, JsonNode object, String id, List<String> problems) {
    fieldsIn(object, Set.of("apiVersion", "kind", "metadata", "spec"), id, problems);
    fieldsIn(object.path("metadata"), METADATA, id + ".metadata", problems);
    SHAPES.get(type).forEach((path, allowed) -> {
      for (JsonNode node : at(object, path)) {
        fieldsIn(node, allowed, id + "." + path, problems);
      }
    });
  }

  private static List<JsonNode> at(JsonNode root, String path) {
    List<JsonNode> nodes = List.of(root);
    for (String part : path.split("\\.")) {
      boolean each = part.endsWith("[]");
      String key = each ? part.substring(0, part.length() - 2) : part;
      nodes = nodes.stream().map(n -> n.path(key)).filter(n -> !n.isMissingNode())
          .flatMap(n -> each ? java.util.stream.StreamSupport.stream(n.spliterator(), false) : java.util.stream.Stream.of(n))
          .toList();
    }
    return nodes;
  }

  private static void fieldsIn(JsonNode node, Set<String> allowed, String path, List<String> problems) {
    node.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        problems.add(path + ": field '" + f + "' is not in the CRD schema");
      }
    });
  }
}
