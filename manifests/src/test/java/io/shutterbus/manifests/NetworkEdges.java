package io.shutterbus.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import io.shutterbus.testkit.manifests.Rendered;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connections the code will open, derived from each workload's environment: every
 * {@code *_URL}, {@code PG_HOST:PG_PORT} and each of {@code KAFKA_BOOTSTRAP_SERVERS}, resolved
 * through the Service of that name to the pods behind it and their container port.
 */
final class NetworkEdges {
  /** from pod (app.kubernetes.io/name) -> to pod on a container port, with the variable that makes it. */
  record Edge(String from, String to, int port, String because) {
  }

  private NetworkEdges() {
  }

  static Set<Edge> derive(Rendered r, List<String> unresolved) {
    Set<Edge> edges = new LinkedHashSet<>();
    for (JsonNode w : r.workloads()) {
      String from = app(Rendered.podTemplate(w));
      for (JsonNode c : Rendered.containers(w)) {
        Map<String, String> env = r.env(w, c.path("name").asText(), false);
        List<String[]> targets = new ArrayList<>();
        env.forEach((k, v) -> {
          if (k.endsWith("_URL") && v.startsWith("http")) {
            URI u = URI.create(v);
            targets.add(new String[] {k, u.getHost(), String.valueOf(u.getPort() > 0 ? u.getPort()
                : "https".equals(u.getScheme()) ? 443 : 80)});
          }
        });
        if (env.containsKey("PG_HOST")) {
          targets.add(new String[] {"PG_HOST", env.get("PG_HOST"), env.getOrDefault("PG_PORT", "5432")});
        }
        if (env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
          for (String server : env.get("KAFKA_BOOTSTRAP_SERVERS").split(",")) {
            String[] hp = server.trim().split(":");
            targets.add(new String[] {"KAFKA_BOOTSTRAP_SERVERS", hp[0], hp[1]});
          }
        }
        for (String[] t : targets) {
          resolve(r, from, t[0], t[1].split("\\.")[0], Integer.parseInt(t[2]), edges, unresolved);
        }
      }
    }
    return edges;
  }

  private static void resolve(Rendered r, String from, String variable, String host, int port, Set<Edge> edges,
                              List<String> unresolved) {
    var svc = r.find("Service", host);
    if (svc.isEmpty()) {
      unresolved.add(from + ": " + variable + " names host " + host + ", which is no Service");
      return;
    }
    JsonNode servicePort = null;
    for (JsonNode p : svc.get().path("spec").path("ports")) {
      if (p.path("port").asInt() == port) {
        servicePort = p;
      }
    }
    if (servicePort == null) {
      unresolved.add(from + ": " + variable + " uses port " + port + ", which Service " + host + " does not expose");
      return;
    }
    for (JsonNode target : r.workloadsMatching(svc.get().path("spec").path("selector"))) {
      for (JsonNode c : Rendered.containers(target)) {
        int containerPort = Workloads.containerPort(c, servicePort.path("targetPort").isMissingNode()
            ? servicePort.path("port") : servicePort.path("targetPort"));
        if (containerPort > 0) {
          edges.add(new Edge(from, app(Rendered.podTemplate(target)), containerPort, variable));
        }
      }
    }
  }

  static String app(JsonNode podTemplate) {
    return podTemplate.path("metadata").path("labels").path("app.kubernetes.io/name").asText();
  }
}
