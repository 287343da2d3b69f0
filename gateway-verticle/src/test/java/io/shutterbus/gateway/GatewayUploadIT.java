package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayUploadIT {
  private static final int MIB = 1024 * 1024;
  private static GatewayHarness h;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(x -> Map.of());
    token = GatewayHarness.token(GatewayHarness.newUser());
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) {
    return HexFormat.of().formatHex(EchoUpstream.sha256().digest(b));
  }

  @Test
  void sixteenMebibytesPassThroughUnchanged() throws Exception {
    byte[] body = randomBytes(16 * MIB);
    HttpResponse<Buffer> r = h.client.post("/api/images").putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(body)).await(60, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject echo = r.bodyAsJsonObject();
    assertEquals(16L * MIB, echo.getLong("bytes"));
    assertEquals(sha256(body), echo.getString("sha256"));
    assertEquals(String.valueOf(16 * MIB), echo.getJsonObject("headers").getJsonArray("content-length").getString(0));
  }

  @Test
  void chunkedSixteenMebibytesPassThroughUnchanged(@TempDir Path dir) throws Exception {
    byte[] body = randomBytes(16 * MIB + 7);
    Path file = Files.write(dir.resolve("upload.bin"), body);
    AsyncFile stream = h.clientVertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
        .await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> r = h.client.post("/api/images").putHeader("Authorization", "Bearer " + token)
        .sendStream(stream).await(60, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject echo = r.bodyAsJsonObject();
    assertEquals(body.length, echo.getLong("bytes"));
    assertEquals(sha256(body), echo.getString("sha256"));
    assertTrue(echo.getJsonObject("headers").containsKey("transfer-encoding"), "streamed on, not buffered: " + echo);
  }

  @Test
  void declaredOversizeIsRefusedAtOnceAndTheConnectionClosed() throws Exception {
    int before = h.image.requests.get();
    try (RawHttp raw = new RawHttp(h.port)) {
      long t0 = System.nanoTime();
      raw.write("POST /api/images HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + token + "\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: " + (25 * MIB) + "\r\n\r\n");
      raw.tryWrite(new byte[256 * 1024]);
      RawHttp.Answer a = raw.read(5000);
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(413, a.status(), a.body());
      assertEquals("application/problem+json", a.header("content-type"));
      assertEquals(413, new JsonObject(a.body()).getInteger("status"));
      assertEquals("close", a.header("connection"));
      assertTrue(a.closedAfterMs() >= 0, "the gateway closed the connection");
      assertTrue(elapsedMs < 3000, "413 and close within 3 s, took " + elapsedMs + " ms");
    }
    assertEquals(before, h.image.requests.get(), "nothing was forwarded");
  }

  @Test
  void chunkedOversizeIsRefusedOnceItPassesTheLimit() throws Exception {
    try (RawHttp raw = new RawHttp(h.port)) {
      raw.write("POST /api/images HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + token + "\r\n"
          + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = randomBytes(MIB);
      byte[] head = (Integer.toHexString(MIB) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] tail = "\r\n".getBytes(StandardCharsets.US_ASCII);
      int sent = 0;
      while (sent < 22 && raw.tryWrite(head) && raw.tryWrite(chunk) && raw.tryWrite(tail)) {
        sent++;
      }
      long t0 = System.nanoTime();
      RawHttp.Answer a = raw.read(5000);
      assertEquals(413, a.status(), "after " + sent + " MiB: " + a.body());
      assertEquals("application/problem+json", a.header("content-type"));
      assertTrue(a.closedAfterMs() >= 0, "the gateway closed the connection");
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
    }
  }

  @Test
  void otherRoutesTakeSmallBodiesOnly() throws Exception {
    HttpResponse<Buffer> r = h.client.post("/api/auth/register").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(new byte[2 * MIB])).await(10, TimeUnit.SECONDS);
    assertEquals(413, r.statusCode());
    assertEquals("application/problem+json", r.getHeader("content-type"));
  }

  @Test
  void oversizedLoginBodyIsRefused() throws Exception {
    String big = "{\"email\":\"a@example.com\",\"password\":\"" + "x".repeat(9000) + "\"}";
    try (RawHttp raw = new RawHttp(h.port)) {
      raw.write("POST /api/auth/login HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + big.length() + "\r\n\r\n" + big);
      RawHttp.Answer a = raw.read(5000);
      assertEquals(413, a.status());
      assertTrue(a.closedAfterMs() >= 0);
    }
    try (RawHttp raw = new RawHttp(h.port)) {
      raw.write("POST /api/auth/login HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n");
      RawHttp.Answer a = raw.read(5000);
      assertEquals(413, a.status());
      assertTrue(a.closedAfterMs() >= 0);
    }
  }

  @Test
  void expectContinueIsAnsweredByTheGatewayOnlyForAcceptedRequests() throws Exception {
    try (RawHttp raw = new RawHttp(h.port)) {
      raw.write("POST /api/images HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + token + "\r\n"
          + "Content-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
      assertEquals(100, raw.read(500).status(), "the client is told to send its body");
      raw.write("hello");
      RawHttp.Answer a = raw.read(5000);
      assertEquals(200, a.status(), a.body());
      JsonObject echo = new JsonObject(a.body());
      assertEquals(5, echo.getInteger("bytes"));
      assertTrue(!echo.getJsonObject("headers").containsKey("expect"), "answered here, not passed on");
    }
    for (String refused : new String[]{"Content-Length: " + (25 * MIB), "Authorization: Bearer x.y.z\r\nContent-Length: 5"}) {
      try (RawHttp raw = new RawHttp(h.port)) {
        String auth = refused.startsWith("Authorization") ? "" : "Authorization: Bearer " + token + "\r\n";
        raw.write("POST /api/images HTTP/1.1\r\nHost: gw\r\n" + auth + refused + "\r\n"
            + "Expect: 100-continue\r\nConnection: close\r\n\r\n");
        int status = raw.read(3000).status();
        assertTrue(status == 413 || status == 401, "refused without a 100 first: " + status);
      }
    }
  }

  @Test
  void bodyReachesTheUpstreamWhileTheClientIsStillSending() throws Exception {
    try (RawHttp raw = new RawHttp(h.port)) {
      raw.write("POST /api/images HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + token + "\r\n"
          + "Content-Length: " + (8 * MIB) + "\r\nConnection: close\r\n\r\n");
      byte[] chunk = randomBytes(MIB);
      for (int i = 0; i < 8; i++) {
        assertTrue(raw.tryWrite(chunk));
        Thread.sleep(100);
      }
      long lastWrittenAt = System.currentTimeMillis();
      RawHttp.Answer a = raw.read(5000);
      assertEquals(200, a.status(), a.body());
      JsonObject echo = new JsonObject(a.body());
      assertEquals(8L * MIB, echo.getLong("bytes"));
      long lead = lastWrittenAt - echo.getLong("firstByteAt");
      assertTrue(lead > 400, "the upstream got its first bytes " + lead + " ms before the client finished");
    }
  }
}
