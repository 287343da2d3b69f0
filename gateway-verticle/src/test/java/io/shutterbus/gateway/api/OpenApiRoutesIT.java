package io.shutterbus.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.gateway.GatewayVerticle;
import io.shutterbus.gateway.GatewayConfig;
import io.shutterbus.gateway.limit.Limits;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.testkit.api.OpenApiContract;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routes the gateway registers and the paths of openapi.yaml, checked both ways, like events'
 * AsyncApiContractTest: every named route is documented, and every documented path is routed by
 * the gateway itself or by a route forwarding to the upstream that registers it (see
 * {@link UpstreamRoutes}). Plus the spec is served as it is in the repository.
 */
class OpenApiRoutesIT {
  /** The catch-all that answers any other /api path with a 404: documented in info, not a path. */
  static final String API_CATCH_ALL = "/api/*";
  /** Everything outside /api goes to the portal: the spec has the portal's page with x-upstream: portal. */
  static final String PORTAL_CATCH_ALL = "/*";

  static Vertx vertx;
  static GatewayVerticle gateway;
  static WebClient client;
  static OpenApiContract contract;
  static List<Route> routes;

  @BeforeAll
  static void start() throws Exception {
    contract = OpenApiContract.locate();
    vertx = Metrics.newVertx(Metrics.newRegistry());
    // Upstreams at closed ports: the routes are what is checked here, not the forwarding.
    GatewayConfig config = GatewayConfig.fromEnv(Env.of(Map.of(
        "SHUTTERBUS_BIND_HOST", "127.0.0.1", "GATEWAY_PORT", "0", "GATEWAY_MANAGEMENT_PORT", "0",
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9", "AUTH_URL", "http://127.0.0.1:9",
        "IMAGE_URL", "http://127.0.0.1:9", "PORTAL_URL", "http://127.0.0.1:9",
        "AUTH_JWKS_URL", "http://127.0.0.1:9/.well-known/jwks.json")));
    gateway = new GatewayVerticle(config, Limits.create(config.limits()), Metrics.newRegistry());
    vertx.deployVerticle(gateway).await(10, TimeUnit.SECONDS);
    routes = gateway.router().getRoutes().stream().filter(r -> r.getName() != null && r.getPath() != null).toList();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyRouteOfTheGatewayIsInTheSpec() {
    List<String> missing = new ArrayList<>();
    for (Route route : routes) {
      String name = route.getName();
      if (name.equals(API_CATCH_ALL)) {
        continue;
      }
      if (name.equals(PORTAL_CATCH_ALL)) {
        if (contract.operations().stream().noneMatch(op -> "portal".equals(op.node().path("x-upstream").asText()))) {
          missing.add("/* (the portal): no operation with x-upstream: portal");
        }
        continue;
      }
      if (name.endsWith("/*")) {
        String prefix = name.substring(0, name.length() - 1);
        if (contract.operations().stream().noneMatch(op -> op.template().startsWith(prefix))) {
          missing.add(name + ": no spec path under " + prefix);
        }
        continue;
      }
      String template = name.replaceAll(":([A-Za-z]+)", "{$1}");
      Set<HttpMethod> methods = route.methods() == null ? Set.of() : route.methods();
      if (methods.isEmpty() && contract.operations().stream().noneMatch(op -> op.template().equals(template))) {
        missing.add(name + ": not in the spec");
      }
      for (HttpMethod method : methods) {
        if (contract.operations().stream().noneMatch(op -> op.template().equals(template)
            && op.method().equalsIgnoreCase(method.name()))) {
          missing.add(method + " " + template + ": not in the spec");
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void everyPathOfTheSpecIsRouted() throws Exception {
    Set<String> upstream = UpstreamRoutes.scan();
    List<String> unrouted = new ArrayList<>();
    for (OpenApiContract.Operation op : contract.operations()) {
      if (op.pathItem().has("servers")) {
        continue;  // the management port: ManagementVerticle, checked on the real platform (ApiContractIT)
      }
      String path = op.template().replaceAll("\\{[^}]+}", "x");
      Route route = routes.stream().filter(r -> handles(r, op.method(), path)).findFirst().orElse(null);
      if (route == null || route.getName().equals(API_CATCH_ALL)) {
        unrouted.add(op.key() + ": no gateway route");
        continue;
      }
      boolean servedHere = route.getName().equals(op.template().replaceAll("\\{([^}]+)}", ":$1"));
      if (!servedHere && !route.getName().equals(PORTAL_CATCH_ALL)
          && upstream.stream().noneMatch(u -> UpstreamRoutes.covers(u, op.method(), op.template()))) {
        unrouted.add(op.key() + ": forwarded by " + route.getName() + " but no upstream registers it");
      }
    }
    assertEquals(List.of(), unrouted);
  }

  @Test
  void everyUpstreamRouteReachableThroughTheGatewayIsInTheSpec() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String route : UpstreamRoutes.scan()) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      String probe = path.replaceAll(":[A-Za-z]+", "x").replace("*", "x");
      Route gatewayRoute = routes.stream().filter(r -> handles(r, method, probe)).findFirst().orElseThrow();
      if (gatewayRoute.getName().equals(PORTAL_CATCH_ALL) || gatewayRoute.getName().equals(API_CATCH_ALL)) {
        continue;  // not reachable from outside (e.g. the JWKS, which only the gateway reads)
      }
      if (contract.operations().stream().noneMatch(op -> UpstreamRoutes.covers(route, op.method(), op.template()))) {
        missing.add(route);
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void theSpecIsServedAsItIsInTheRepository() throws Exception {
    HttpResponse<Buffer> res = client.get(gateway.actualPort(), "127.0.0.1", "/api/openapi.yaml").send()
        .await(10, TimeUnit.SECONDS);
    assertEquals(200, res.statusCode());
    assertTrue(res.getHeader("content-type").startsWith("application/yaml"), res.getHeader("content-type"));
    assertEquals(Files.readString(Path.of("openapi.yaml")), res.bodyAsString());
    HttpResponse<Buffer> again = client.get(gateway.actualPort(), "127.0.0.1", "/api/openapi.yaml")
        .putHeader("If-None-Match", res.getHeader("ETag")).send().await(10, TimeUnit.SECONDS);
    assertEquals(304, again.statusCode());
    HttpResponse<Buffer> page = client.get(gateway.actualPort(), "127.0.0.1", "/api/docs").send()
        .await(10, TimeUnit.SECONDS);
    assertEquals(200, page.statusCode());
    assertEquals(Files.readString(Path.of("openapi.html")), page.bodyAsString());
    List<String> violations = new ArrayList<>();
    for (var r : List.of(Map.entry("/api/openapi.yaml", res), Map.entry("/api/openapi.yaml", again), Map.entry("/api/docs", page))) {
      violations.addAll(contract.violations("GET", r.getKey(), r.getValue().statusCode(), r.getValue()::getHeader,
          r.getValue().bodyAsString()));
    }
    assertEquals(List.of(), violations);
  }

  /** Whether the gateway route would take {@code method path} (its path template or prefix, and method). */
  static boolean handles(Route route, String method, String path) {
    if (route.methods() != null && !route.methods().isEmpty()
        && route.methods().stream().noneMatch(m -> m.name().equalsIgnoreCase(method))) {
      return false;
    }
    String name = route.getName();
    if (name.endsWith("/*")) {
      String prefix = name.substring(0, name.length() - 1);
      return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
    }
    return OpenApiContract.matches(name.replaceAll(":([A-Za-z]+)", "{$1}"), path);
  }

}
