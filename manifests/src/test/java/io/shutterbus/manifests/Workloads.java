package io.shutterbus.manifests;

import com.fasterxml.jackson.databind.JsonNode;

/** Container port look-ups by name or number, as probes, Services and policies refer to them. */
final class Workloads {
  private Workloads() {
  }

  /** The container port number a probe, Service or policy port refers to, or -1 if the container declares none. */
  static int containerPort(JsonNode container, JsonNode ref) {
    for (JsonNode p : container.path("ports")) {
      if (ref.isNumber() ? p.path("containerPort").asInt() == ref.asInt() : p.path("name").asText().equals(ref.asText())) {
        return p.path("containerPort").asInt();
      }
    }
    return -1;
  }
}
