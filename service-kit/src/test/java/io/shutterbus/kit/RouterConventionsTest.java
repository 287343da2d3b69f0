package io.shutterbus.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house router: problem+json for every failure, request ids, and metrics by route template. */
class RouterConventionsTest {
  static Vertx vertx;
  static Vertx clientVertx;
  static WebClient client;
  static int port;
  static int managementPort;

  @BeforeAll
  static void start() throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    vertx = Metrics.newVertx(registry);
    Router router = Routers.create(vertx);
    router.get("/anything/:id").handler(ctx -> ctx.json(new JsonObject().put("id", ctx.pathParam("id"))));
    router.get("/search").handler(ctx -> ctx.json(new JsonObject().put("q", ctx.queryParams().get("q"))));
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("secret internal detail at com.example.Foo");
    });
    router.post("/field").handler(ctx -> ctx.fail(ProblemException.invalidField("email", "email must look like name@example.com")));
    port = FreePorts.next();
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    managementPort = FreePorts.next();
    vertx.deployVerticle(new ManagementVerticle("test", "127.0.0.1", managementPort, "TEST_MANAGEMENT_PORT",
        null, null, registry)).await(10, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> call(HttpMethod method, int p, String path, String requestId) throws Exception {
    var req = client.request(method, p, "127.0.0.1", path);
    if (requestId != null) {
      req.putHeader("X-Request-Id", requestId);
    }
    return req.send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void unknownPathIsProblemJson404WithRequestId() throws Exception {
    HttpResponse<Buffer> res = call(HttpMethod.GET, port, "/nowhere", "abc-123");
    assertEquals(404, res.statusCode());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    assertEquals("abc-123", res.getHeader("X-Request-Id"));
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(404, body.getInteger("status"));
    assertEquals("abc-123", body.getString("requestId"));
    assertEquals("/nowhere", body.getString("instance"));
    assertNotNull(body.getString("type"));
    assertNotNull(body.getString("detail"));
  }

  @Test
  void unsafeRequestIdIsReplaced() throws Exception {
    HttpResponse<Buffer> res = call(HttpMethod.GET, port, "/nowhere", "<script>alert(1)</script>");
    String id = res.getHeader("X-Request-Id");
    assertNotNull(id);
    assertFalse(id.contains("<"), id);
    assertEquals(id, res.bodyAsJsonObject().getString("requestId"));
  }

  @Test
  void unexpectedFailureIs500WithoutInternals() throws Exception {
    HttpResponse<Buffer> res = call(HttpMethod.GET, port, "/boom", null);
    assertEquals(500, res.statusCode());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    String body = res.bodyAsString();
    assertFalse(body.contains("secret internal detail"), body);
    assertFalse(body.contains("com.example"), body);
    assertTrue(res.bodyAsJsonObject().getString("detail").contains("requestId"));
  }

  @Test
  void aBadlyEncodedQueryIs400NotA500() throws Exception {
    assertEquals("a b", call(HttpMethod.GET, port, "/search?q=a%20b", null).bodyAsJsonObject().getString("q"));
    HttpResponse<Buffer> res = call(HttpMethod.GET, port, "/search?q=%%%%", null);
    assertEquals(400, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    assertTrue(res.bodyAsJsonObject().getString("detail").contains("URL encoding"), res.bodyAsString());
  }

  @Test
  void wrongMethodIs405Problem() throws Exception {
    HttpResponse<Buffer> res = call(HttpMethod.DELETE, port, "/anything/1", null);
    assertEquals(405, res.statusCode());
    assertEquals("application/problem+json", res.getHeader("content-type"));
  }

  @Test
  void fieldProblemNamesTheField() throws Exception {
    HttpResponse<Buffer> res = call(HttpMethod.POST, port, "/field", null);
    assertEquals(400, res.statusCode());
    assertEquals("email", res.bodyAsJsonObject().getString("field"));
  }

  @Test
  void metricsAreLabelledByRouteTemplateNotRawPath() throws Exception {
    assertEquals(200, call(HttpMethod.GET, port, "/anything/123", null).statusCode());
    assertEquals(200, call(HttpMethod.GET, port, "/anything/456", null).statusCode());
    String metrics = call(HttpMethod.GET, managementPort, "/metrics", null).bodyAsString();
    List<String> series = metrics.lines()
        .filter(l -> l.startsWith("vertx_http_server_requests_total{") && l.contains("/anything"))
        .toList();
    assertEquals(1, series.size(), String.join("\n", series));
    assertTrue(series.get(0).contains("route=\"/anything/:id\""), series.get(0));
    assertTrue(series.get(0).endsWith(" 2.0"), series.get(0));
    assertFalse(metrics.contains("/anything/123"), "a raw path leaked into a label");
    assertTrue(metrics.contains("vertx_http_server_response_time_seconds_bucket{"), "latency histogram buckets");
    assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
  }

  @Test
  void livenessIsUpWithoutDependencies() throws Exception {
    HttpResponse<Buffer> res = call(HttpMethod.GET, managementPort, "/health/live", null);
    assertEquals(200, res.statusCode());
    assertEquals("UP", res.bodyAsJsonObject().getString("status"));
    assertEquals(200, call(HttpMethod.GET, managementPort, "/health/ready", null).statusCode());
  }
}
