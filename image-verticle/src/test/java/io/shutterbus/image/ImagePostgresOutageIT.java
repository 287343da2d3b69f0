package io.shutterbus.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.embedded.EmbeddedPostgres;
import io.shutterbus.events.Topics;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running image service, on a private server the test stops and starts
 * (the shared one stays up): every API call is a fast 503 naming it, readiness says so while
 * liveness and the public files do not care, a refused upload leaves no temp file, and once the
 * database is back the same calls work without restarting the service and nothing was lost.
 */
@ExtendWith(InfraExtension.class)
class ImagePostgresOutageIT {
  /** A hang must fail the test, not just make it slow. */
  private static final int CLIENT_TIMEOUT_MS = 2000;

  @Test
  void everyApiCallIsAFast503NamingPostgresWhileItIsDownAndWorksAgainWhenItReturns(Infra infra, @TempDir Path dir)
      throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), FreePorts.next());
    Vertx vertx = Vertx.vertx();
    try (TestIdentity identity = new TestIdentity()) {
      pg.createDatabase("image_outage");
      infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
      Path storage = dir.resolve("images");
      Map<String, String> env = new HashMap<>(infra.env());
      env.putAll(identity.env());
      env.putAll(Map.of("PG_HOST", "127.0.0.1", "PG_PORT", Integer.toString(pg.port()), "PG_DATABASE", "image_outage",
          "PG_USER", EmbeddedPostgres.SUPERUSER, "PG_PASSWORD", "trusted-loopback"));
      env.put("IMAGE_STORAGE_DIR", storage.toString());
      try (ImageApp app = ImageApp.service(env)) {
        WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
        Http api = new Http(client, app.port);
        Http management = new Http(client, app.managementPort);
        String token = identity.token(UUID.randomUUID());

        // Before: an upload-first user (no users.registered needed) with one image.
        byte[] before = TestImages.png(64, 48);
        HttpResponse<Buffer> accepted = api.upload(token, before);
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        String id = accepted.bodyAsJsonObject().getString("id");
        String url = accepted.bodyAsJsonObject().getString("url");
        assertEquals("/uploads/" + ImageApiIT.sha256(before) + ".png", url);
        assertEquals(List.of(id), ids(api.call(HttpMethod.GET, "/api/images", token)));
        assertEquals(200, management.call(HttpMethod.GET, "/health/ready", null).statusCode());

        pg.stop();
        Map<String, Supplier<HttpResponse<Buffer>>> calls = Map.of(
            "GET /api/images", () -> api.call(HttpMethod.GET, "/api/images", token),
            "GET /api/images/{id}", () -> api.call(HttpMethod.GET, "/api/images/" + id, token),
            "POST /api/images", () -> api.upload(token, TestImages.png(33, 22)),
            "DELETE /api/images/{id}", () -> api.call(HttpMethod.DELETE, "/api/images/" + id, token));
        for (int round = 0; round < 2; round++) {
          for (Map.Entry<String, Supplier<HttpResponse<Buffer>>> call : calls.entrySet()) {
            long t0 = System.nanoTime();
            HttpResponse<Buffer> res = call.getValue().get();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            JsonObject problem = ImageApiIT.assertProblem(res, 503, "dependency-unavailable");
            assertEquals("postgresql", problem.getString("dependency"), call.getKey() + ": " + problem.encode());
            assertTrue(ms < 2000, call.getKey() + " answered after " + ms + " ms");
          }
        }
        HttpResponse<Buffer> ready = management.call(HttpMethod.GET, "/health/ready", null);
        assertEquals(503, ready.statusCode(), ready.bodyAsString());
        assertTrue(ready.bodyAsString().contains("postgresql"), ready.bodyAsString());
        HttpResponse<Buffer> live = management.call(HttpMethod.GET, "/health/live", null);
        assertEquals(200, live.statusCode(), live.bodyAsString());
        HttpResponse<Buffer> file = api.call(HttpMethod.GET, url, null);
        assertEquals(200, file.statusCode(), "public files need no database");
        assertArrayEquals(before, file.body().getBytes());
        try (Stream<Path> temps = Files.list(storage.resolve("tmp"))) {
          assertEquals(List.of(), temps.toList(), "a refused upload leaves no temp file");
        }

        pg.start();
        HttpResponse<Buffer> list = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
          list = api.call(HttpMethod.GET, "/api/images", token);
          if (list.statusCode() == 200) {
            break;
          }
          Thread.sleep(250);
        }
        assertEquals(200, list.statusCode(), list.bodyAsString());
        assertEquals(List.of(id), ids(list), "the image uploaded before the outage is still there");
        assertEquals(200, api.call(HttpMethod.GET, "/api/images/" + id, token).statusCode());
        HttpResponse<Buffer> after = api.upload(token, TestImages.png(35, 25));
        assertEquals(202, after.statusCode(), after.bodyAsString());
        String afterId = after.bodyAsJsonObject().getString("id");
        assertEquals(List.of(afterId, id), ids(api.call(HttpMethod.GET, "/api/images", token)));
        assertEquals(204, api.call(HttpMethod.DELETE, "/api/images/" + afterId, token).statusCode());
        assertEquals(List.of(id), ids(api.call(HttpMethod.GET, "/api/images", token)));
        HttpResponse<Buffer> readyAgain = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
          readyAgain = management.call(HttpMethod.GET, "/health/ready", null);
          if (readyAgain.statusCode() == 200) {
            break;
          }
          Thread.sleep(250);
        }
        assertEquals(200, readyAgain.statusCode(), readyAgain.bodyAsString());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      pg.close();
    }
  }

  private static List<String> ids(HttpResponse<Buffer> list) {
    assertEquals(200, list.statusCode(), list.bodyAsString());
    JsonArray items = list.bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  /** One port as a client calls it, with a 2 s timeout on every call. */
  private record Http(WebClient client, int port) {
    HttpResponse<Buffer> call(HttpMethod method, String path, String token) {
      HttpRequest<Buffer> req = client.request(method, port, "127.0.0.1", path).timeout(CLIENT_TIMEOUT_MS);
      if (token != null) {
        req.putHeader("authorization", "Bearer " + token);
      }
      return await(req.send(), method + " " + path);
    }

    HttpResponse<Buffer> upload(String token, byte[] png) {
      HttpRequest<Buffer> req = client.post(port, "127.0.0.1", "/api/images").timeout(CLIENT_TIMEOUT_MS)
          .putHeader("content-type", Multipart.CONTENT_TYPE).putHeader("authorization", "Bearer " + token);
      return await(req.sendBuffer(Buffer.buffer(new Multipart().file("image", "photo.png", "image/png", png).build())),
          "POST /api/images");
    }

    private static HttpResponse<Buffer> await(io.vertx.core.Future<HttpResponse<Buffer>> f, String what) {
      try {
        return f.await(CLIENT_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError(what + ": no answer within " + CLIENT_TIMEOUT_MS + " ms (" + e + ")", e);
      }
    }
  }
}
