package io.shutterbus.gateway;

import static io.shutterbus.gateway.GatewayHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayRoutingIT {
  private static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(x -> Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static HttpResponse<Buffer> get(String uri, String token) throws Exception {
    var req = h.get(uri);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return send(req);
  }

  private static JsonObject echoed(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void eachPathGoesToItsUpstreamWithPathAndQueryUnchanged() throws Exception {
    String token = GatewayHarness.token(GatewayHarness.newUser());
    Map<String, String> expected = Map.of(
        "/api/auth/refresh?x=1", "auth",
        "/api/me", "auth",
        "/api/images", "image",
        "/api/images/0b6f/thumb?size=256&x=%2F..", "image",
        "/uploads/ab12.png", "image",
        "/uploads/thumbs/256/ab12.jpg", "image",
        "/", "portal",
        "/index.html?v=3", "portal",
        "/js/app.js", "portal");
    for (var e : expected.entrySet()) {
      JsonObject echo = echoed(get(e.getKey(), token));
      assertEquals(e.getValue(), echo.getString("upstream"), e.getKey());
      assertEquals(e.getKey(), echo.getString("uri"), "path and query reach the upstream as sent");
    }
  }

  @Test
  void unknownApiPathIsAProblem404AndNeverReachesThePortal() throws Exception {
    int before = h.portal.requests.get();
    HttpResponse<Buffer> r = get("/api/nothing/here", null);
    assertEquals(404, r.statusCode());
    assertEquals("application/problem+json", r.getHeader("content-type"));
    assertEquals(404, r.bodyAsJsonObject().getInteger("status"));
    assertEquals(before, h.portal.requests.get());
  }

  @Test
  void authPathsNeedNoToken() throws Exception {
    assertEquals("auth", echoed(get("/api/auth/refresh", null)).getString("upstream"));
    HttpResponse<Buffer> login = h.client.post("/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", "ann@example.com").put("password", "correct"))
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, login.statusCode());
    assertEquals("auth", login.getHeader("X-Upstream"));
  }

  @Test
  void meAndImagesNeedAValidToken() throws Exception {
    long now = Instant.now().getEpochSecond();
    String sub = GatewayHarness.newUser();
    String valid = GatewayHarness.token(sub);
    String payload = GatewayHarness.claims(sub).json();
    Map<String, String> bad = Map.of(
        "expired", GatewayHarness.KEY.sign(GatewayHarness.claims(sub).put("iat", now - 2000).put("exp", now - 1000)),
        "tampered signature", TestTokens.withTamperedSignature(valid),
        "tampered payload", TestTokens.withPayload(valid, GatewayHarness.claims(sub).put("roles", List.of("admin")).json()),
        "alg none", TestTokens.unsigned("{\"alg\":\"none\",\"kid\":\"gw-k1\"}", payload),
        "HS256 keyed with the public key", TestTokens.hs256(GatewayHarness.KEY.publicKeyPem().getBytes(StandardCharsets.US_ASCII),
            "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"gw-k1\"}", payload),
        "HS256 keyed with the public key DER", TestTokens.hs256(GatewayHarness.KEY.publicKeyDer(),
            "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"gw-k1\"}", payload),
        "wrong audience", GatewayHarness.KEY.sign(GatewayHarness.claims(sub).put("aud", "other-api")),
        "wrong issuer", GatewayHarness.KEY.sign(GatewayHarness.claims(sub).put("iss", "evil")),
        "no exp", GatewayHarness.KEY.sign(GatewayHarness.claims(sub).without("exp")),
        "unknown key", TestTokens.es256("other").sign(GatewayHarness.claims(sub)));
    int authBefore = h.auth.requests.get();
    int imageBefore = h.image.requests.get();
    for (String path : List.of("/api/me", "/api/images", "/api/images/123")) {
      HttpResponse<Buffer> none = get(path, null);
      assertEquals(401, none.statusCode(), path);
      assertEquals("application/problem+json", none.getHeader("content-type"));
      assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"));
      for (var e : bad.entrySet()) {
        HttpResponse<Buffer> r = get(path, e.getValue());
        assertEquals(401, r.statusCode(), path + ": " + e.getKey());
        assertEquals("application/problem+json", r.getHeader("content-type"), e.getKey());
        assertEquals(401, r.bodyAsJsonObject().getInteger("status"), e.getKey());
        assertTrue(r.getHeader("WWW-Authenticate").contains("invalid_token"), e.getKey());
      }
    }
    assertEquals(authBefore, h.auth.requests.get(), "no refused request reached auth");
    assertEquals(imageBefore, h.image.requests.get(), "no refused request reached image");
    JsonObject me = echoed(get("/api/me", valid));
    assertEquals("Bearer " + valid, me.getJsonObject("headers").getJsonArray("authorization").getString(0),
        "the token travels on, for the service to check it too");
  }

  @Test
  void uploadsArePublic() throws Exception {
    assertEquals("image", echoed(get("/uploads/ab12.png", null)).getString("upstream"));
  }

  @Test
  void clientSentIdentityAndHopByHopHeadersAreStrippedAndForwardedHeadersSet() throws Exception {
    try (RawHttp raw = new RawHttp(h.port)) {
      raw.write("GET /api/auth/refresh HTTP/1.1\r\n"
          + "Host: shutterbus.local:8080\r\n"
          + "X-User-Id: 00000000-0000-0000-0000-000000000001\r\n"
          + "X-User-Roles: admin\r\n"
          + "X-Forwarded-For: 6.6.6.6\r\n"
          + "X-Forwarded-Proto: https\r\n"
          + "X-Forwarded-Host: evil.example\r\n"
          + "X-Forwarded-Port: 443\r\n"
          + "Forwarded: for=6.6.6.6;proto=https\r\n"
          + "X-Real-IP: 6.6.6.6\r\n"
          + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
          + "TE: trailers\r\n"
          + "X-Custom-Hop: secret\r\n"
          + "X-Request-Id: trace-me-123\r\n"
          + "Cookie: refresh=abc\r\n"
          + "Connection: close, X-Custom-Hop\r\n"
          + "\r\n");
      RawHttp.Answer a = raw.read(5000);
      assertEquals(200, a.status(), a.body());
      JsonObject headers = new JsonObject(a.body()).getJsonObject("headers");
      for (String stripped : List.of("x-user-id", "x-user-roles", "x-forwarded-port", "forwarded", "x-real-ip",
          "proxy-authorization", "te", "x-custom-hop")) {
        assertFalse(headers.containsKey(stripped), stripped + " must not reach the upstream: " + headers);
      }
      assertEquals(List.of("127.0.0.1"), headers.getJsonArray("x-forwarded-for").getList());
      assertEquals(List.of("http"), headers.getJsonArray("x-forwarded-proto").getList());
      assertEquals(List.of("shutterbus.local:8080"), headers.getJsonArray("x-forwarded-host").getList());
      assertEquals(List.of("trace-me-123"), headers.getJsonArray("x-request-id").getList());
      assertEquals(List.of("refresh=abc"), headers.getJsonArray("cookie").getList());
      assertEquals("trace-me-123", a.header("X-Request-Id"), "one request id, the one passed through");
      assertNull(a.header("X-Hop-Secret"), "headers the upstream's Connection lists stay behind");
      assertNull(a.header("Keep-Alive"));
    }
  }

  @Test
  void unsafeRequestIdIsReplaced() throws Exception {
    HttpResponse<Buffer> r = send(h.get("/api/auth/x").putHeader("X-Request-Id", "bad id <script>"));
    String id = r.getHeader("X-Request-Id");
    assertTrue(id.matches("[0-9a-f-]{36}"), id);
    assertEquals(List.of(id), r.bodyAsJsonObject().getJsonObject("headers").getJsonArray("x-request-id").getList());
  }

  @Test
  void securityHeadersOnProxiedAndOwnAnswersWithoutDuplicates() throws Exception {
    for (String path : List.of("/", "/api/auth/refresh", "/api/nothing")) {
      HttpResponse<Buffer> r = get(path, null);
      assertEquals(List.of("nosniff"), r.headers().getAll("X-Content-Type-Options"), path);
      assertEquals(List.of("no-referrer"), r.headers().getAll("Referrer-Policy"), path);
      assertEquals(List.of("DENY"), r.headers().getAll("X-Frame-Options"), path);
      List<String> csp = r.headers().getAll("Content-Security-Policy");
      assertEquals(1, csp.size(), path);
      assertTrue(csp.get(0).contains("frame-ancestors 'none'"), csp.get(0));
      assertTrue(csp.get(0).contains("script-src 'self'"), csp.get(0));
      assertNull(r.getHeader("Strict-Transport-Security"), "no HSTS without TLS");
      assertEquals(1, r.headers().getAll("X-Request-Id").size(), path);
    }
    HttpResponse<Buffer> file = get("/uploads/ab12.png", null);
    assertEquals(List.of("default-src 'none'; sandbox; frame-ancestors 'none'"),
        file.headers().getAll("Content-Security-Policy"), "the upstream's stricter CSP wins, framing still forbidden");
  }

  @Test
  void metricsLabelRoutesByTemplateNotRawPath() throws Exception {
    String token = GatewayHarness.token(GatewayHarness.newUser());
    for (int i = 0; i < 5; i++) {
      get("/api/images/id-" + i, token);
      get("/uploads/" + i + "abc.png", null);
      get("/page-" + i, null);
      get("/api/unknown-" + i, null);
    }
    String metrics = h.scrapeMetrics();
    Matcher m = Pattern.compile("vertx_http_server_requests_total\\{[^}]*route=\"([^\"]*)\"").matcher(metrics);
    Set<String> routes = new TreeSet<>();
    while (m.find()) {
      routes.add(m.group(1));
    }
    assertTrue(routes.contains("/api/images/*"), routes.toString());
    assertTrue(routes.contains("/uploads/*"), routes.toString());
    assertTrue(routes.contains("/*"), routes.toString());
    Set<String> templates = Set.of("", "/api/auth/login", "/api/auth/register", "/api/auth/*", "/api/me",
        "/api/images/*", "/uploads/*", "/api/events/stream", "/api/*", "/*");
    assertTrue(templates.containsAll(routes), "only route templates as labels: " + routes);
    assertFalse(metrics.contains("id-3"), "no raw path in any label");
    assertTrue(metrics.contains("shutterbus_gateway_upstream_errors_total{reason=\"unavailable\",upstream=\"image\"}"));
    assertTrue(metrics.contains("shutterbus_gateway_rate_limited_total{limit=\"login_ip\"}"));
  }
}
