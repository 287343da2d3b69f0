package io.shutterbus.platform.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.TestKafka;
import io.shutterbus.testkit.images.PhonePhotos;
import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Images end to end, as a user meets them through the gateway of the whole platform: accounts
 * from auth, uploads to image, thumbnails from the worker, live status over SSE, the profile's
 * avatar and image count from auth's consumer, and every bad input answered as it should be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFlowIT {
  private static final long LIVE_WAIT_MS = 60_000;
  private static final Duration PROCESSED_WITHIN = Duration.ofSeconds(60);
  private RunningPlatform platform;
  private Gateway gateway;

  @BeforeAll
  void start() throws Exception {
    platform = RunningPlatform.start(Map.of("IMAGE_QUOTA_COUNT", "3"));
    gateway = new Gateway(platform.gatewayPort());
  }

  @AfterAll
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void anUploadShowsReadyOnTheLiveStreamAndItsFilesAreServedImmutable() throws Exception {
    String token = gateway.newUser("Ada");
    try (LiveStream live = LiveStream.open(gateway.vertx, gateway.port, token)) {
      assertEquals(200, live.response.statusCode());
      byte[] png = Pictures.png(640, 480);
      HttpResponse<Buffer> accepted = gateway.upload(token, new Multipart().file("image", "ada.png", "image/png", png).build());
      assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
      String id = accepted.bodyAsJsonObject().getString("id");
      assertEquals("processing", accepted.bodyAsJsonObject().getString("status"));
      String original = "/uploads/" + Pictures.sha256(png) + ".png";
      assertEquals(original, accepted.bodyAsJsonObject().getString("url"));

      LiveStream.Event event = live.next(id, LIVE_WAIT_MS);
      assertEquals("image.processed", event.name(), event.data().encode());
      assertEquals("ready", event.data().getString("status"));
      JsonObject thumbs = event.data().getJsonObject("thumbnails");
      assertEquals(original, event.data().getString("url"));

      JsonObject image = gateway.get("/api/images/" + id, token).bodyAsJsonObject();
      assertEquals("ready", image.getString("status"));
      assertEquals(thumbs, image.getJsonObject("thumbnails"));
      assertEquals(640, image.getJsonObject("metadata").getInteger("width"));

      assertArrayEquals(png, servedImmutable(original, "image/png").body().getBytes());
      servedImmutable(thumbs.getString("256"), "image/jpeg");
      servedImmutable(thumbs.getString("1024"), "image/jpeg");
    }
  }

  /** GET answers with the file headers; the same ETag gives 304, a Range gives 206; returns the 200. */
  private HttpResponse<Buffer> servedImmutable(String url, String contentType) {
    HttpResponse<Buffer> res = gateway.get(url, null);
    assertEquals(200, res.statusCode(), url);
    assertEquals(contentType, res.getHeader("content-type"), url);
    assertEquals("nosniff", res.getHeader("x-content-type-options"), url);
    assertTrue(res.getHeader("content-security-policy").contains("default-src 'none'"), url);
    String etag = res.getHeader("etag");
    assertTrue(etag.matches("\"[0-9a-f]{64}(-[0-9]+)?\""), "a strong ETag: " + etag);
    assertTrue(res.getHeader("cache-control").contains("immutable"), res.getHeader("cache-control"));
    long size = res.body().length();

    HttpResponse<Buffer> notModified = gateway.send(HttpMethod.GET, url, null, Map.of("if-none-match", etag), null);
    assertEquals(304, notModified.statusCode(), url);
    assertTrue(notModified.body() == null || notModified.body().length() == 0);

    HttpResponse<Buffer> part = gateway.send(HttpMethod.GET, url, null, Map.of("range", "bytes=0-99"), null);
    assertEquals(206, part.statusCode(), url);
    assertEquals("bytes 0-99/" + size, part.getHeader("content-range"));
    assertEquals(100, part.body().length());
    return res;
  }

  @Test
  void a25MiBUploadIs413AndTheConnectionIsNotLeftHanging() throws Exception {
    String token = gateway.newUser("Big");
    for (boolean chunked : new boolean[] {false, true}) {
      long started = System.nanoTime();
      String answer = rawUpload(token, 25L * 1024 * 1024, chunked);
      assertTrue(answer.startsWith("HTTP/1.1 413"), (chunked ? "chunked: " : "with length: ") + answer);
      assertTrue(answer.contains("application/problem+json"), answer);
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(15).toNanos(), "closed, not left hanging");
    }
    assertEquals(0, gateway.get("/api/images", token).bodyAsJsonObject().getJsonArray("items").size());
  }

  /**
   * Sends a multipart upload of {@code bytes} zeros over a plain socket, as fast as the server
   * reads it, and returns everything the server sent until it closed the connection (the read
   * times out after 15 s, which fails the test: a hanging connection).
   */
  private String rawUpload(String token, long bytes, boolean chunked) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port)) {
      socket.setSoTimeout(15_000);
      byte[] head = ("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
          + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] png = Pictures.png(16, 16);
      String request = "POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: " + Multipart.CONTENT_TYPE + "\r\n"
          + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + (head.length + png.length + bytes) + "\r\n")
          + "\r\n";
      OutputStream out = socket.getOutputStream();
      Thread writer = new Thread(() -> {
        try {
          out.write(request.getBytes(StandardCharsets.US_ASCII));
          write(out, head, chunked);
          write(out, png, chunked);
          byte[] zeros = new byte[64 * 1024];
          for (long sent = 0; sent < bytes; sent += zeros.length) {
            write(out, zeros, chunked);
          }
        } catch (IOException closedByServer) {
          // expected: the server stops reading once it has answered
        }
      }, "raw-upload");
      writer.setDaemon(true);
      writer.start();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          answer.write(buf, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // a reset after the answer also ends the connection
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static void write(OutputStream out, byte[] data, boolean chunked) throws IOException {
    if (chunked) {
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.write(data);
    }
  }

  @Test
  void filesThatAreNoAcceptedImageAreRefusedWhateverTheirName() {
    String token = gateway.newUser("Mallory");
    assertProblem(gateway.upload(token, new Multipart().file("image", "cat.png", "image/png",
        "hello, this is text and not a picture\n".repeat(10).getBytes(StandardCharsets.UTF_8)).build()), 415, "image");
    assertProblem(gateway.upload(token, new Multipart().file("image", "cat.png", "image/png",
        ("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>")
            .getBytes(StandardCharsets.UTF_8)).build()), 415, "image");
    byte[] bomb = Pictures.pngDeclaring(50_000, 50_000);
    assertTrue(bomb.length < 1100, "about 1 KB: " + bomb.length);
    assertProblem(gateway.upload(token, new Multipart().file("image", "bomb.png", "image/png", bomb).build()), 422, "image");
    assertEquals(0, gateway.get("/api/images", token).bodyAsJsonObject().getJsonArray("items").size());
  }

  @Test
  void aTruncatedPngIsAcceptedThenFailsWithAReasonAndADeadLetter() throws Exception {
    String token = gateway.newUser("Trunc");
    try (LiveStream live = LiveStream.open(gateway.vertx, gateway.port, token)) {
      String id = gateway.uploadAccepted(token, "cut.png", Pictures.truncatedPng(300, 200));
      LiveStream.Event event = live.next(id, LIVE_WAIT_MS);
      assertEquals("image.failed", event.name(), event.data().encode());
      String reason = event.data().getString("reason");
      assertTrue(reason.contains("truncated"), reason);

      JsonObject image = gateway.get("/api/images/" + id, token).bodyAsJsonObject();
      assertEquals("failed", image.getString("status"));
      assertEquals(reason, image.getString("failureReason"));
      assertEquals(new JsonObject(), image.getJsonObject("thumbnails"));

      List<ConsumerRecord<String, String>> dead = deadLetters(id);
      assertEquals(1, dead.size());
      assertEquals(reason, TestKafka.header(dead.get(0), "dlq_error"));
      assertEquals("images.uploaded", TestKafka.header(dead.get(0), "dlq_source_topic"));
    }
  }

  @Test
  void aFailedImageCanBeReprocessedAndIsReadyOnceItsFileIsRepaired() throws Exception {
    String token = gateway.newUser("Retry");
    byte[] whole = Pictures.noisyPng(240, 160);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length * 6 / 10);
    try (LiveStream live = LiveStream.open(gateway.vertx, gateway.port, token)) {
      String id = gateway.uploadAccepted(token, "retry.png", cut);
      assertEquals("image.failed", live.next(id, LIVE_WAIT_MS).name());

      HttpResponse<Buffer> again = gateway.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", token, Map.of(), null);
      assertEquals(202, again.statusCode(), again.bodyAsString());
      assertEquals("processing", again.bodyAsJsonObject().getString("status"));
      assertNull(again.bodyAsJsonObject().getValue("failureReason"));
      assertEquals("image.failed", live.next(id, LIVE_WAIT_MS).name(), "processed again, still broken");

      String sha = Pictures.sha256(cut);
      Files.write(platform.dataDir.resolve("images/originals").resolve(sha.substring(0, 2)).resolve(sha + ".png"), whole);
      assertEquals(202, gateway.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", token, Map.of(), null)
          .statusCode());
      LiveStream.Event ready = live.next(id, LIVE_WAIT_MS);
      assertEquals("image.processed", ready.name(), ready.data().encode());
      assertEquals("ready", gateway.get("/api/images/" + id, token).bodyAsJsonObject().getString("status"));
      assertEquals(2, deadLetters(id).size(), "each failed run left its dead letter");
    }
  }

  @Test
  void theClientsFileNameIsNeverUsedAsAPath() throws Exception {
    String token = gateway.newUser("Path");
    byte[] png = Pictures.png(33, 44);
    HttpResponse<Buffer> res = gateway.upload(token, new Multipart().file("image", "../../etc/passwd", "image/png", png).build());
    assertEquals(202, res.statusCode(), res.bodyAsString());
    String url = res.bodyAsJsonObject().getString("url");
    assertEquals("/uploads/" + Pictures.sha256(png) + ".png", url, "stored under its hash");
    assertArrayEquals(png, gateway.get(url, null).body().getBytes());
    try (Stream<Path> files = Files.walk(platform.dataDir.getParent(), 3)) {
      assertFalse(files.anyMatch(p -> p.getFileName() != null && p.getFileName().toString().equals("passwd")));
    }
  }

  @Test
  void someoneElsesImageIsNotFoundAndNoTokenIsUnauthorized() {
    String alice = gateway.newUser("Alice");
    String bob = gateway.newUser("Bob");
    String id = gateway.uploadAccepted(alice, "alice.png", Pictures.png(50, 51));
    assertProblem(gateway.get("/api/images/" + id, bob), 404, null);
    assertProblem(gateway.send(HttpMethod.DELETE, "/api/images/" + id, bob, Map.of(), null), 404, null);
    assertProblem(gateway.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", bob, Map.of(), null), 404, null);
    assertProblem(gateway.get("/api/images/not-an-id", alice), 404, null);
    assertProblem(gateway.get("/api/images/" + id, null), 401, null);
    assertProblem(gateway.upload(null, new Multipart().file("image", "x.png", "image/png", Pictures.png(5, 5)).build()),
        401, null);
    assertEquals(204, gateway.send(HttpMethod.DELETE, "/api/images/" + id, alice, Map.of(), null).statusCode());
    assertProblem(gateway.get("/api/images/" + id, alice), 404, null);
  }

  @Test
  void uploadsOverTheQuotaAreA403() {
    String token = gateway.newUser("Quota");
    for (int i = 0; i < 3; i++) {
      gateway.uploadAccepted(token, i + ".png", Pictures.png(70 + i, 20));
    }
    HttpResponse<Buffer> over = gateway.upload(token, new Multipart().file("image", "4.png", "image/png",
        Pictures.png(80, 20)).build());
    JsonObject problem = assertProblem(over, 403, null);
    assertTrue(problem.getString("type").endsWith("/quota-exceeded"), problem.encode());
  }

  @Test
  void anAvatarShowsOnTheProfileAndGalleryImagesAreCounted() throws Exception {
    String token = gateway.newUser("Grace");
    JsonObject before = gateway.get("/api/me", token).bodyAsJsonObject();
    assertNull(before.getValue("avatarUrl"));
    assertEquals(0, before.getInteger("imageCount"));

    String first = gateway.uploadAccepted(token, "g1.png", Pictures.png(90, 60));
    String second = gateway.uploadAccepted(token, "g2.png", Pictures.png(91, 60));
    HttpResponse<Buffer> avatar = gateway.upload(token, new Multipart().field("purpose", "avatar")
        .file("image", "me.jpg", "image/jpeg", Pictures.phoneJpeg(200, 200)).build());
    assertEquals(202, avatar.statusCode(), avatar.bodyAsString());
    String avatarId = avatar.bodyAsJsonObject().getString("id");
    for (String id : List.of(first, second, avatarId)) {
      gateway.awaitStatus(token, id, "ready", PROCESSED_WITHIN);
    }
    assertEquals("avatar", gateway.get("/api/images/" + avatarId, token).bodyAsJsonObject().getString("purpose"));

    JsonObject avatarImage = gateway.get("/api/images/" + avatarId, token).bodyAsJsonObject();
    String avatarUrl = avatarImage.getJsonObject("thumbnails").getString("256");
    long deadline = System.nanoTime() + PROCESSED_WITHIN.toNanos();
    JsonObject me = before;
    while (System.nanoTime() < deadline) {
      me = gateway.get("/api/me", token).bodyAsJsonObject();
      if (avatarUrl.equals(me.getString("avatarUrl")) && me.getInteger("imageCount") == 2) {
        break;
      }
      Thread.sleep(200);
    }
    assertEquals(avatarUrl, me.getString("avatarUrl"), "the avatar is its rendered thumbnail: " + me.encode());
    for (String url : List.of(avatarUrl, avatarImage.getString("url"), avatarImage.getJsonObject("thumbnails").getString("1024"))) {
      HttpResponse<Buffer> file = gateway.get(url, null);  // a stranger: no token
      assertEquals(200, file.statusCode(), url);
      assertFalse(PhonePhotos.revealsThePlace(file.body().getBytes()), "no GPS, EXIF or comment of the phone's photo in " + url);
    }
    assertEquals(2, me.getInteger("imageCount"), "gallery images only: " + me.encode());

    assertEquals(204, gateway.send(HttpMethod.DELETE, "/api/images/" + first, token, Map.of(), null).statusCode());
    assertEquals(204, gateway.send(HttpMethod.DELETE, "/api/images/" + avatarId, token, Map.of(), null).statusCode());
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      me = gateway.get("/api/me", token).bodyAsJsonObject();
      if (me.getInteger("imageCount") == 1 && me.getValue("avatarUrl") == null) {
        break;
      }
      Thread.sleep(200);
    }
    assertEquals(1, me.getInteger("imageCount"), "a deleted image is no longer counted: " + me.encode());
    assertNull(me.getValue("avatarUrl"), "a deleted avatar leaves the profile: " + me.encode());
  }

  private List<ConsumerRecord<String, String>> deadLetters(String imageId) {
    return TestKafka.readUntil(platform.kafka(), "images.uploaded.dlq",
            records -> records.stream().anyMatch(r -> imageId.equals(r.key())), Duration.ofSeconds(30),
            Duration.ofSeconds(2))
        .stream().filter(r -> imageId.equals(r.key())).toList();
  }

  private static JsonObject assertProblem(HttpResponse<Buffer> res, int status, String field) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(status, body.getInteger("status"));
    if (field != null) {
      assertEquals(field, body.getString("field"), body.encode());
    }
    return body;
  }
}
