package io.shutterbus.gateway;

import io.shutterbus.testkit.http.SseClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The live stream's caps: per user, per gateway, and slots that come back whenever a client leaves. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStreamLimitsIT {
  private static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(x -> {
      x.jwks.delayMs = 1200;  // the first token check waits this long for the keys
      return Map.of("GATEWAY_SSE_MAX_PER_USER", "1", "GATEWAY_SSE_MAX_TOTAL", "2", "JWKS_FETCH_TIMEOUT_MS", "5000");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static int openStatus(String token) throws Exception {
    SseClient s = SseClient.open(h.clientVertx, h.port, token);
    int status = s.response.statusCode();
    s.close().await(5, TimeUnit.SECONDS);
    return status;
  }

  @Test
  @Order(1)  // first: the keys are fetched (slowly) only once
  void aClientThatLeavesWhileItsTokenIsCheckedTakesNoSlotWithIt() throws Exception {
    String token = GatewayHarness.token(GatewayHarness.newUser());
    try (Socket early = new Socket("127.0.0.1", h.port)) {
      OutputStream out = early.getOutputStream();
      out.write(("GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200);  // the gateway is now waiting for the signing keys
    }
    Thread.sleep(2000);   // the keys arrive and the token check of the departed client completes
    h.jwks.delayMs = 0;
    assertEquals(200, openStatus(token), "the departed client's slot (cap 1 per user) is free");
  }

  @Test
  void pastTheGatewaysTotalAStreamGetsA503ProblemAndASlotFreesUpOnClose() throws Exception {
    h.jwks.delayMs = 0;
    SseClient one = SseClient.open(h.clientVertx, h.port, GatewayHarness.token(GatewayHarness.newUser()));
    SseClient two = SseClient.open(h.clientVertx, h.port, GatewayHarness.token(GatewayHarness.newUser()));
    try {
      assertEquals(200, one.response.statusCode());
      assertEquals(200, two.response.statusCode());
      String third = GatewayHarness.token(GatewayHarness.newUser());
      var res = GatewayHarness.send(h.get("/api/events/stream").putHeader("Authorization", "Bearer " + third));
      assertEquals(503, res.statusCode(), res.bodyAsString());
      assertEquals("application/problem+json", res.getHeader("Content-Type"));
      assertEquals("5", res.getHeader("Retry-After"));
      JsonObject body = res.bodyAsJsonObject();
      assertTrue(body.getString("detail").contains("live streams"), body.encode());
      one.close().await(5, TimeUnit.SECONDS);
      int status = 0;
      for (int i = 0; i < 50 && status != 200; i++) {
        Thread.sleep(100);
        status = openStatus(third);
      }
      assertEquals(200, status, "a closed stream gives its slot back to everyone");
    } finally {
      one.close();
      two.close();
    }
  }
}
