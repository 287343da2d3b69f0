package io.shutterbus.platform.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.platform.PlatformExtension;
import io.shutterbus.platform.PlatformUnderTest;
import io.shutterbus.testkit.api.OpenApiContract;
import io.shutterbus.testkit.http.Multipart;
import io.shutterbus.testkit.http.SseClient;
import io.shutterbus.testkit.images.TestImages;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The public API on the real platform (embedded PostgreSQL and Kafka, every service) against
 * gateway-verticle/openapi.yaml: each answer recorded here, successes and errors, must keep the
 * contract (documented status, required headers, content type, body valid against its JSON
 * schema, problem type among the response's), and every operation of the spec must have been
 * answered by the platform, which proves each documented path is routed for real.
 */
@ExtendWith(PlatformExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiContractIT {
  static final String PASSWORD = "correct horse battery staple";
  static final OpenApiContract CONTRACT = OpenApiContract.locate();
  static final Set<String> ANSWERED = ConcurrentHashMap.newKeySet();
  static PlatformUnderTest platform;
  static Vertx vertx;
  static WebClient client;
  static String token;
  static String cookie;
  static String imageId;
  static String fileUrl;
  static JsonObject readyImage;

  @BeforeAll
  static void start(PlatformUnderTest given) {
    platform = given;
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static int gatewayPort() {
    return Integer.parseInt(platform.env.get("GATEWAY_PORT"));
  }

  /** Sends through the gateway, checks the answer against the spec and its expected status. */
  static HttpResponse<Buffer> call(HttpMethod method, String uri, String bearer, Map<String, String> headers,
                                   Buffer body, int expected) throws Exception {
    return call(gatewayPort(), method, uri, bearer, headers, body, expected);
  }

  static HttpResponse<Buffer> call(int port, HttpMethod method, String uri, String bearer, Map<String, String> headers,
                                   Buffer body, int expected) throws Exception {
    return call(port, method, uri, bearer, headers, body, Set.of(expected));
  }

  static HttpResponse<Buffer> call(int port, HttpMethod method, String uri, String bearer, Map<String, String> headers,
                                   Buffer body, Set<Integer> expected) throws Exception {
    HttpRequest<Buffer> req = client.request(method, port, "127.0.0.1", uri).timeout(30_000);
    if (bearer != null) {
      req.putHeader("Authorization", "Bearer " + bearer);
    }
    headers.forEach(req::putHeader);
    HttpResponse<Buffer> res = (body == null ? req.send() : req.sendBuffer(body)).await(40, TimeUnit.SECONDS);
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    assertTrue(expected.contains(res.statusCode()), method + " " + uri + " answered " + res.statusCode()
        + ", expected " + expected + ": " + res.bodyAsString());
    assertEquals(List.of(), CONTRACT.violations(method.name(), path, res.statusCode(), res::getHeader, res.bodyAsString()));
    CONTRACT.find(method.name(), path).ifPresent(op -> ANSWERED.add(op.key()));
    return res;
  }

  static HttpResponse<Buffer> json(HttpMethod method, String uri, String bearer, JsonObject body, int expected)
      throws Exception {
    return call(method, uri, bearer, Map.of("Content-Type", "application/json"), body.toBuffer(), expected);
  }

  /** A stream's status, headers and (for an error) body, checked; the stream is then closed. */
  static void openStream(String uri, String bearer, int expected) throws Exception {
    SseClient sse = SseClient.open(vertx, gatewayPort(), uri, bearer);
    try {
      if (expected != 200) {
        sse.ended.future().await(10, TimeUnit.SECONDS);
      }
      String body = expected == 200 ? null : sse.body();
      String path = uri.split("\\?")[0];
      assertEquals(expected, sse.response.statusCode(), uri + ": " + body);
      assertEquals(List.of(), CONTRACT.violations("GET", path, sse.response.statusCode(), sse.response::getHeader, body));
      CONTRACT.find("GET", path).ifPresent(op -> ANSWERED.add(op.key()));
    } finally {
      sse.close().await(10, TimeUnit.SECONDS);
    }
  }

  static JsonObject account(String email) {
    return new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Contract Tester");
  }

  @Test
  @Order(1)
  void accounts() throws Exception {
    String email = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    json(HttpMethod.POST, "/api/auth/register", null, account(email), 201);
    json(HttpMethod.POST, "/api/auth/register", null, account(email), 409);
    json(HttpMethod.POST, "/api/auth/register", null, account("not-an-address"), 400);
    call(HttpMethod.POST, "/api/auth/register", null, Map.of("Content-Type", "application/json"),
        Buffer.buffer("[1, 2"), 400);
    json(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("email", email).put("password", "wrong password"), 401);
    call(HttpMethod.POST, "/api/auth/login", null, Map.of("Content-Type", "application/json"),
        Buffer.buffer("{\"email\":\"" + "x".repeat(9000) + "\"}"), 413);
    HttpResponse<Buffer> login = json(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("email", email).put("password", PASSWORD), 200);
    token = login.bodyAsJsonObject().getString("accessToken");
    cookie = login.cookies().get(0).split(";")[0];
    HttpResponse<Buffer> refreshed = call(HttpMethod.POST, "/api/auth/refresh", null, Map.of("Cookie", cookie), null, 200);
    cookie = refreshed.cookies().get(0).split(";")[0];
    call(HttpMethod.POST, "/api/auth/refresh", null, Map.of(), null, 401);
    call(HttpMethod.GET, "/api/me", token, Map.of(), null, 200);
    call(HttpMethod.GET, "/api/me", null, Map.of(), null, 401);
    call(HttpMethod.GET, "/api/me", "not.a.token", Map.of(), null, 401);
    HttpResponse<Buffer> other = json(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("email", email).put("password", PASSWORD), 200);
    call(HttpMethod.POST, "/api/auth/logout", null, Map.of("Cookie", other.cookies().get(0).split(";")[0]), null, 204);
    call(HttpMethod.POST, "/api/auth/logout", null, Map.of(), null, 204);
  }

  @Test
  @Order(2)
  void imagesAndFiles() throws Exception {
    byte[] png = TestImages.png(320, 200, UUID.randomUUID().hashCode());
    HttpResponse<Buffer> accepted = call(HttpMethod.POST, "/api/images", token,
        Map.of("Content-Type", Multipart.CONTENT_TYPE),
        Buffer.buffer(new Multipart().file("image", "contract.png", "image/png", png).build()), 202);
    imageId = accepted.bodyAsJsonObject().getString("id");
    fileUrl = accepted.bodyAsJsonObject().getString("url");
    call(HttpMethod.POST, "/api/images", token, Map.of("Content-Type", Multipart.CONTENT_TYPE),
        Buffer.buffer(new Multipart().file("image", "notes.txt", "text/plain", "just text".getBytes()).build()), 415);
    call(HttpMethod.GET, "/api/images?limit=0", token, Map.of(), null, 400);
    call(HttpMethod.GET, "/api/images", null, Map.of(), null, 401);
    call(HttpMethod.GET, "/api/images/" + UUID.randomUUID(), token, Map.of(), null, 404);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (readyImage == null && System.nanoTime() < deadline) {
      JsonObject image = call(HttpMethod.GET, "/api/images/" + imageId, token, Map.of(), null, 200).bodyAsJsonObject();
      if ("ready".equals(image.getString("status"))) {
        readyImage = image;
      } else {
        Thread.sleep(200);
      }
    }
    assertTrue(readyImage != null, "the upload was not processed within 60 s");
    call(HttpMethod.GET, "/api/images?limit=5", token, Map.of(), null, 200);

    HttpResponse<Buffer> file = call(HttpMethod.GET, fileUrl, null, Map.of(), null, 200);
    call(HttpMethod.HEAD, fileUrl, null, Map.of(), null, 200);
    call(HttpMethod.GET, fileUrl, null, Map.of("Range", "bytes=0-9"), null, 206);
    call(HttpMethod.GET, fileUrl, null, Map.of("If-None-Match", file.getHeader("ETag")), null, 304);
    call(HttpMethod.GET, fileUrl, null, Map.of("Range", "bytes=99999999-"), null, 416);
    call(HttpMethod.GET, "/uploads/" + "0".repeat(64) + ".png", null, Map.of(), null, 404);
    String thumbnail = readyImage.getJsonObject("thumbnails").getString("256");
    call(HttpMethod.GET, thumbnail, null, Map.of(), null, 200);
    call(HttpMethod.HEAD, thumbnail, null, Map.of(), null, 200);

    call(HttpMethod.POST, "/api/images/" + imageId + "/reprocess", token, Map.of(), null, 202);
    call(HttpMethod.POST, "/api/images/" + UUID.randomUUID() + "/reprocess", token, Map.of(), null, 404);
    call(HttpMethod.DELETE, "/api/images/" + imageId, token, Map.of(), null, 204);
    call(HttpMethod.DELETE, "/api/images/" + imageId, token, Map.of(), null, 404);
  }

  @Test
  @Order(3)
  void liveStream() throws Exception {
    openStream("/api/events/stream", token, 200);
    openStream("/api/events/stream", null, 401);
  }

  @Test
  @Order(4)
  void adminEvents() throws Exception {
    // Another test class of this JVM may have registered the administrator already.
    call(gatewayPort(), HttpMethod.POST, "/api/auth/register", null, Map.of("Content-Type", "application/json"),
        new JsonObject().put("email", PlatformUnderTest.ADMIN_EMAIL).put("password", PlatformUnderTest.ADMIN_PASSWORD)
            .put("name", "Admin").toBuffer(), Set.of(201, 409));
    String admin = json(HttpMethod.POST, "/api/auth/login", null, new JsonObject()
        .put("email", PlatformUnderTest.ADMIN_EMAIL).put("password", PlatformUnderTest.ADMIN_PASSWORD), 200)
        .bodyAsJsonObject().getString("accessToken");
    String topic = call(HttpMethod.GET, "/api/admin/events/topics", admin, Map.of(), null, 200)
        .bodyAsJsonObject().getJsonArray("topics").getJsonObject(0).getString("name");
    call(HttpMethod.GET, "/api/admin/events/groups", admin, Map.of(), null, 200);
    call(HttpMethod.GET, "/api/admin/events/topics/" + topic + "/messages?fromBeginning=true&limit=3", admin,
        Map.of(), null, 200);
    call(HttpMethod.GET, "/api/admin/events/topics/" + topic + "/messages?limit=9999", admin, Map.of(), null, 400);
    call(HttpMethod.GET, "/api/admin/events/topics/no.such.topic/messages", admin, Map.of(), null, 404);
    call(HttpMethod.GET, "/api/admin/events/topics", token, Map.of(), null, 403);
    call(HttpMethod.GET, "/api/admin/events/groups", null, Map.of(), null, 401);
    openStream("/api/admin/events/topics/" + topic + "/tail", admin, 200);
  }

  @Test
  @Order(5)
  void metaAndHealth() throws Exception {
    HttpResponse<Buffer> spec = call(HttpMethod.GET, "/api/openapi.yaml", null, Map.of(), null, 200);
    call(HttpMethod.GET, "/api/openapi.yaml", null, Map.of("If-None-Match", spec.getHeader("ETag")), null, 304);
    call(HttpMethod.GET, "/api/docs", null, Map.of(), null, 200);
    call(HttpMethod.GET, "/", null, Map.of(), null, 200);
    int management = Integer.parseInt(platform.env.get("GATEWAY_MANAGEMENT_PORT"));
    call(management, HttpMethod.GET, "/health/live", null, Map.of(), null, 200);
    call(management, HttpMethod.GET, "/health/ready", null, Map.of(), null, 200);
  }

  @Test
  @Order(6)
  void everyOperationOfTheSpecWasAnsweredByThePlatform() {
    Set<String> missing = new TreeSet<>();
    CONTRACT.operations().forEach(op -> missing.add(op.key()));
    missing.removeAll(ANSWERED);
    assertEquals(Set.of(), missing, "exercise these in this test: each is a documented path nobody answered");
  }
}
