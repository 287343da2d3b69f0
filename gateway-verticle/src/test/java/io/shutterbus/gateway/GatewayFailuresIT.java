package io.shutterbus.gateway;

import static io.shutterbus.gateway.GatewayHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** auth on a closed port, image silent, portal hanging up: each failure answered fast, naming the upstream. */
class GatewayFailuresIT {
  private static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(x -> Map.of(
        "AUTH_URL", x.closedUrl,
        "IMAGE_URL", x.silent.url(),
        "PORTAL_URL", x.hangup.url(),
        "GATEWAY_UPSTREAM_TIMEOUT_MS", "700",
        "GATEWAY_BREAKER_MAX_FAILURES", "3",
        "GATEWAY_BREAKER_RESET_MS", "600000"));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static double errors(String upstream, String reason) {
    Counter c = h.registry.find("shutterbus.gateway.upstream.errors").tag("upstream", upstream)
        .tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status, String dependency) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("content-type"));
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(status, body.getInteger("status"));
    assertEquals(dependency, body.getString("dependency"));
    assertTrue(body.containsKey("requestId"));
  }

  @Test
  void downUpstreamIs503NamingItWithinTwoSecondsThenItsCircuitOpens() throws Exception {
    for (int i = 0; i < 6; i++) {
      long t0 = System.nanoTime();
      HttpResponse<Buffer> r = GatewayHarness.await(h.client.post("/api/auth/login")
          .putHeader("content-type", "application/json")
          .putHeader("X-Forwarded-For", "203.0.113." + i)
          .sendJsonObject(new JsonObject().put("email", "u" + i + "@example.com").put("password", "pw-" + i)));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertProblem(r, 503, "auth");
      assertTrue(ms < 2000, "answered in " + ms + " ms");
    }
    assertEquals(3, errors("auth", "unavailable"), "three refused connections open the circuit");
    assertEquals(3, errors("auth", "circuit_open"), "then calls fail at once without trying");
    assertProblem(send(h.get("/api/me").putHeader("Authorization", "Bearer " + GatewayHarness.token("u1"))),
        503, "auth");
  }

  @Test
  void silentUpstreamIs504NamingIt() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = send(h.get("/api/images/abc")
        .putHeader("Authorization", "Bearer " + GatewayHarness.token(GatewayHarness.newUser())));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertProblem(r, 504, "image");
    assertTrue(ms >= 600 && ms < 2500, "timed out after " + ms + " ms");
    assertEquals(1, errors("image", "timeout"));
    assertEquals(1, h.silent.requests.get(), "the request did reach the slow upstream");
  }

  @Test
  void upstreamHangingUpIs502NamingIt() throws Exception {
    assertProblem(send(h.get("/index.html")), 502, "portal");
    assertTrue(errors("portal", "bad_gateway") >= 1);
  }

  @Test
  void failuresKeepTheSecurityHeaders() throws Exception {
    HttpResponse<Buffer> r = send(h.get("/about"));
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    assertTrue(r.getHeader("Content-Security-Policy").contains("frame-ancestors 'none'"));
  }
}
