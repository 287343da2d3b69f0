package io.shutterbus.gateway;

import static io.shutterbus.gateway.GatewayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-site state-changing requests stop at the gateway with a 403 problem and never reach an
 * upstream; the same requests from the site itself, from a configured origin, or from a client that
 * is not a browser go through.
 */
class CrossSiteRequestsIT {
  private static final String EVIL = "https://evil.example";
  private static final String PARTNER = "https://partner.example";
  private static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(x -> Map.of("GATEWAY_ALLOWED_ORIGINS", PARTNER + ", http://localhost:3000"));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static HttpRequest<Buffer> request(HttpMethod method, String uri, Map<String, String> headers) {
    HttpRequest<Buffer> req = h.client.request(method, uri).putHeader("Authorization",
        "Bearer " + GatewayHarness.token(GatewayHarness.newUser()));
    headers.forEach(req::putHeader);
    return req;
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String uri, Map<String, String> headers) throws Exception {
    HttpRequest<Buffer> req = request(method, uri, headers);
    if (uri.equals("/api/images")) {
      MultiMap form = MultiMap.caseInsensitiveMultiMap();
      return await(req.sendMultipartForm(io.vertx.ext.web.multipart.MultipartForm.create()
          .binaryFileUpload("image", "a.png", Buffer.buffer(new byte[]{(byte) 0x89, 'P', 'N', 'G'}), "image/png")));
    }
    return await(method == HttpMethod.POST
        ? req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"email\":\"a@b.io\",\"password\":\"correct\"}"))
        : req.send());
  }

  private static void assertRefused(HttpMethod method, String uri, Map<String, String> headers) throws Exception {
    int authBefore = h.auth.requests.get();
    int imageBefore = h.image.requests.get();
    HttpResponse<Buffer> res = call(method, uri, headers);
    assertEquals(403, res.statusCode(), method + " " + uri + ": " + res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("Content-Type"));
    JsonObject body = res.bodyAsJsonObject();
    assertTrue(body.getString("type").endsWith("cross-site-request"), body.encode());
    assertTrue(body.getString("detail").contains("GATEWAY_ALLOWED_ORIGINS"), body.encode());
    assertEquals(authBefore, h.auth.requests.get(), "auth never saw " + uri);
    assertEquals(imageBefore, h.image.requests.get(), "image never saw " + uri);
  }

  private static void assertPassed(HttpMethod method, String uri, Map<String, String> headers) throws Exception {
    int upstreamBefore = h.auth.requests.get() + h.image.requests.get();
    HttpResponse<Buffer> res = call(method, uri, headers);
    assertEquals(200, res.statusCode(), method + " " + uri + " " + headers + ": " + res.bodyAsString());
    assertEquals(upstreamBefore + 1, h.auth.requests.get() + h.image.requests.get(), "the upstream got " + uri);
  }

  private static final Object[][] STATE_CHANGING = {
      {HttpMethod.POST, "/api/auth/login"}, {HttpMethod.POST, "/api/auth/register"},
      {HttpMethod.POST, "/api/auth/refresh"}, {HttpMethod.POST, "/api/auth/logout"},
      {HttpMethod.POST, "/api/images"}, {HttpMethod.DELETE, "/api/images/5d1c0f3e-0000-4000-8000-000000000001"}};

  @Test
  void anotherSitesOriginIsRefusedOnLoginRegisterRefreshLogoutUploadAndDelete() throws Exception {
    for (Object[] call : STATE_CHANGING) {
      assertRefused((HttpMethod) call[0], (String) call[1], Map.of("Origin", EVIL));
      assertRefused((HttpMethod) call[0], (String) call[1], Map.of("Origin", "null"));
    }
  }

  @Test
  void aCrossSiteFetchMetadataHeaderIsRefusedWhenTheBrowserSentNoOrigin() throws Exception {
    for (Object[] call : STATE_CHANGING) {
      assertRefused((HttpMethod) call[0], (String) call[1], Map.of("Sec-Fetch-Site", "cross-site"));
      assertRefused((HttpMethod) call[0], (String) call[1], Map.of("Sec-Fetch-Site", "same-site"));
    }
  }

  @Test
  void theSiteItselfAConfiguredOriginAndNonBrowserClientsGoThrough() throws Exception {
    String self = "http://127.0.0.1:" + h.port;
    for (Object[] call : STATE_CHANGING) {
      HttpMethod method = (HttpMethod) call[0];
      String uri = (String) call[1];
      assertPassed(method, uri, Map.of("Origin", self, "Sec-Fetch-Site", "same-origin"));
      assertPassed(method, uri, Map.of("Origin", PARTNER, "Sec-Fetch-Site", "cross-site"));
      assertPassed(method, uri, Map.of("Sec-Fetch-Site", "same-origin"));
      assertPassed(method, uri, Map.of());
    }
  }

  @Test
  void readsAreNeverRefusedWhateverTheirOrigin() throws Exception {
    assertEquals(200, await(request(HttpMethod.GET, "/api/images", Map.of("Origin", EVIL, "Sec-Fetch-Site", "cross-site"))
        .send()).statusCode());
  }

  @Test
  void anAllowedOriginThatIsNotAnOriginStopsTheGatewayNamingTheVariable() {
    ConfigException e = assertThrows(ConfigException.class, () -> CrossSiteGuard.fromEnv(
        Env.of(Map.of("GATEWAY_ALLOWED_ORIGINS", "https://ok.example, https://bad.example/path")), false));
    assertTrue(e.getMessage().contains("GATEWAY_ALLOWED_ORIGINS") && e.getMessage().contains("bad.example/path"),
        e.getMessage());
  }
}
