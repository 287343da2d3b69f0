package io.shutterbus.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.run.ServiceRuntime;
import io.shutterbus.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The serving rules of the portal, on a real server: the page for every app route, revalidation
 * instead of stale copies, compression, security headers, and a 404 for anything that is not a
 * file we ship (no listing, no hidden files, no way out of the web root).
 */
class PortalServingTest {
  static Vertx vertx;
  static Vertx clientVertx;
  static WebClient client;
  static int managementPort;

  @BeforeAll
  static void start() throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    vertx = Metrics.newVertx(registry);
    int port = FreePorts.next();
    managementPort = FreePorts.next();
    PortalService.deploy(new ServiceRuntime(vertx, registry), Env.of(Map.of(
        "SHUTTERBUS_BIND_HOST", "127.0.0.1",
        "PORTAL_PORT", Integer.toString(port),
        "PORTAL_MANAGEMENT_PORT", Integer.toString(managementPort)))).await(20, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setDecompressionSupported(false));
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> request) throws Exception {
    return request.timeout(5000).send().await(10, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> get(String path) throws Exception {
    return send(client.get(path));
  }

  @Test
  void theRootAndEveryAppRouteServeThePageRevalidatedOnEachLoad() throws Exception {
    HttpResponse<Buffer> root = get("/");
    assertEquals(200, root.statusCode());
    assertEquals("text/html; charset=utf-8", root.getHeader("content-type"));
    assertEquals("no-cache", root.getHeader("cache-control"));
    assertNotNull(root.getHeader("etag"));
    assertTrue(root.bodyAsString().contains("<script type=\"module\" src=\"/assets/js/main.js\"></script>"));
    for (String path : new String[] {"/signin", "/register", "/profile", "/gallery", "/gallery/",
        "/gallery/6c1c2a52-6a6f-4d8e-9b55-0f4b0f7f3a10", "/profile/anything/deeper"}) {
      HttpResponse<Buffer> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertEquals(root.bodyAsString(), page.bodyAsString(), path);
      assertEquals("no-cache", page.getHeader("cache-control"), path);
    }
  }

  @Test
  void thePageAnswers304WhenTheBrowserStillHasIt() throws Exception {
    String etag = get("/gallery").getHeader("etag");
    HttpResponse<Buffer> again = send(client.get("/gallery").putHeader("If-None-Match", etag));
    assertEquals(304, again.statusCode());
    assertNull(again.body());
  }

  @Test
  void assetsCarryValidatorsAndAnswer304WhenUnchanged() throws Exception {
    HttpResponse<Buffer> js = get("/assets/js/main.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.getHeader("content-type").contains("javascript"), js.getHeader("content-type"));
    assertEquals("public, no-cache", js.getHeader("cache-control"));
    String etag = js.getHeader("etag");
    assertNotNull(etag);
    assertNotNull(js.getHeader("last-modified"));

    HttpResponse<Buffer> byTag = send(client.get("/assets/js/main.js").putHeader("If-None-Match", etag));
    assertEquals(304, byTag.statusCode());
    assertEquals(etag, byTag.getHeader("etag"));
    HttpResponse<Buffer> byDate = send(client.get("/assets/js/main.js")
        .putHeader("If-Modified-Since", js.getHeader("last-modified")));
    assertEquals(304, byDate.statusCode());
    HttpResponse<Buffer> changed = send(client.get("/assets/js/main.js").putHeader("If-None-Match", "W/\"0000\""));
    assertEquals(200, changed.statusCode());

    HttpResponse<Buffer> css = get("/assets/app.css");
    assertEquals(200, css.statusCode());
    assertEquals("text/css;charset=UTF-8", css.getHeader("content-type"));
  }

  @Test
  void textIsCompressedForBrowsersThatAskForIt() throws Exception {
    for (String path : new String[] {"/", "/assets/app.css", "/assets/js/pages/gallery.js"}) {
      HttpResponse<Buffer> res = send(client.get(path).putHeader("Accept-Encoding", "gzip"));
      assertEquals(200, res.statusCode(), path);
      assertEquals("gzip", res.getHeader("content-encoding"), path);
    }
  }

  @Test
  void everyAnswerCarriesTheStrictContentSecurityPolicy() throws Exception {
    for (String path : new String[] {"/", "/gallery", "/assets/app.css", "/assets/nope.js"}) {
      HttpResponse<Buffer> res = get(path);
      String csp = res.getHeader("content-security-policy");
      assertNotNull(csp, path);
      assertTrue(csp.contains("script-src 'self';") && csp.contains("style-src 'self';")
          && csp.contains("frame-ancestors 'none'"), csp);
      assertFalse(csp.contains("unsafe-inline"), csp);
      assertEquals("nosniff", res.getHeader("x-content-type-options"), path);
    }
  }

  @Test
  void anUnknownAssetOrPathIsAProblem404NotThePage() throws Exception {
    for (String path : new String[] {"/assets/js/nope.js", "/assets/", "/assets/js/", "/assets", "/nope",
        "/api/me", "/gallerynope"}) {
      HttpResponse<Buffer> res = get(path);
      assertEquals(404, res.statusCode(), path);
      assertEquals("application/problem+json", res.getHeader("content-type"), path);
    }
  }

  @Test
  void hiddenFilesAndEscapesFromTheWebRootAre404() throws Exception {
    assertNotNull(getClass().getClassLoader().getResource(PortalVerticle.WEBROOT + "/assets/.secret"),
        "the hidden test file must be there for this test to prove anything");
    for (String path : new String[] {"/assets/.secret", "/assets/%2esecret", "/assets/../../pom.xml",
        "/assets/%2e%2e/%2e%2e/pom.xml", "/assets/js/..%2f..%2f..%2fpom.xml", "/assets//etc/passwd",
        "/assets/../../../../../../etc/passwd", "/assets/js/%5c..%5c..%5cpom.xml"}) {
      HttpResponse<Buffer> res = get(path);
      assertEquals(404, res.statusCode(), path);
      assertFalse(res.bodyAsString().contains("hidden"), path);
    }
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<Buffer> res = send(client.request(HttpMethod.HEAD, "/gallery"));
    assertEquals(200, res.statusCode());
    assertNull(res.body());
  }

  @Test
  void readinessHasNothingToWaitFor() throws Exception {
    HttpResponse<Buffer> res = send(client.get(managementPort, "127.0.0.1", "/health/ready"));
    assertEquals(200, res.statusCode());
    assertEquals("UP", res.bodyAsJsonObject().getString("status"));
  }
}
