package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate limits and login back-off. The gateway trusts 127.0.0.1 as a proxy here, so each test
 * speaks for clients of its own through X-Forwarded-For.
 */
class GatewayLimitsIT {
  private static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(x -> Map.of(
        "GATEWAY_TRUSTED_PROXIES", "127.0.0.1/32, ::1",
        "GATEWAY_REGISTER_RATE_PER_MINUTE", "2",
        "GATEWAY_REGISTER_BURST", "3",
        "GATEWAY_LOGIN_RATE_PER_MINUTE", "60",
        "GATEWAY_LOGIN_BURST", "8",
        "GATEWAY_LOGIN_LOCK_AFTER", "3",
        "GATEWAY_LOGIN_LOCK_BASE_MS", "1200"));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static HttpResponse<Buffer> register(String clientIp, int i) throws Exception {
    return GatewayHarness.await(h.client.post("/api/auth/register").putHeader("X-Forwarded-For", clientIp)
        .sendJsonObject(new JsonObject().put("email", "r" + i + "@example.com").put("password", "long enough pw")));
  }

  private static HttpResponse<Buffer> login(String clientIp, String email, String password) throws Exception {
    return GatewayHarness.await(h.client.post("/api/auth/login").putHeader("X-Forwarded-For", clientIp)
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  private static double limited(String limit) {
    return h.registry.find("shutterbus.gateway.rate.limited").tag("limit", limit).counter().count();
  }

  private static void assert429(HttpResponse<Buffer> r, long minSeconds, long maxSeconds) {
    assertEquals(429, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("content-type"));
    assertEquals(429, r.bodyAsJsonObject().getInteger("status"));
    String retryAfter = r.getHeader("Retry-After");
    assertNotNull(retryAfter);
    long seconds = Long.parseLong(retryAfter);
    assertTrue(seconds >= minSeconds && seconds <= maxSeconds, "Retry-After " + seconds);
  }

  @Test
  void registerIsLimitedPerClientIp() throws Exception {
    int before = h.auth.requests.get();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, register("198.51.100.10", i).statusCode());
    }
    assert429(register("198.51.100.10", 3), 1, 30);
    assertEquals(before + 3, h.auth.requests.get(), "the refused call never reached auth");
    assertEquals(200, register("198.51.100.11", 4).statusCode(), "another client has its own allowance");
    assertEquals(200, register("2001:db8:1:2::1", 5).statusCode());
    assertEquals(200, register("2001:db8:1:2::2", 6).statusCode());
    assertEquals(200, register("2001:db8:1:2::3", 7).statusCode());
    assert429(register("2001:db8:1:2:ffff::9", 8), 1, 30);  // one IPv6 /64 is one client
    assertTrue(limited("register_ip") >= 2);
  }

  @Test
  void loginIsLimitedPerClientIp() throws Exception {
    for (int i = 0; i < 8; i++) {
      assertEquals(200, login("198.51.100.20", "ip" + i + "@example.com", "correct").statusCode());
    }
    assert429(login("198.51.100.20", "ip9@example.com", "correct"), 1, 2);
    assertTrue(limited("login_ip") >= 1);
  }

  @Test
  void repeatedFailedLoginsLockTheAccountWithGrowingBackoff() throws Exception {
    String ip = "198.51.100.30";
    String email = "alice@example.com";
    for (int i = 0; i < 3; i++) {
      assertEquals(401, login(ip, email, "wrong-" + i).statusCode());
    }
    int before = h.auth.requests.get();
    assert429(login(ip, email, "correct"), 1, 2);
    assert429(login("198.51.100.31", " Alice@Example.COM ", "correct"), 1, 2);  // same account from anywhere
    assertEquals(before, h.auth.requests.get(), "a locked account's attempts never reach auth");
    assertEquals(200, login(ip, "bob@example.com", "correct").statusCode(), "other accounts are unaffected");
    assertTrue(limited("login_account") >= 2);

    Thread.sleep(1300);
    assertEquals(401, login(ip, email, "wrong-again").statusCode(), "tried again once the lock ends");
    assert429(login(ip, email, "correct"), 2, 3);  // the lock doubled: 2.4 s

    Thread.sleep(2500);
    assertEquals(200, login(ip, email, "correct").statusCode());
    for (int i = 0; i < 2; i++) {
      assertEquals(401, login(ip, email, "wrong").statusCode(), "a success cleared the failures");
    }
  }

  @Test
  void loginWithoutAnEmailIsForwardedForAuthToAnswer() throws Exception {
    HttpResponse<Buffer> r = GatewayHarness.await(h.client.post("/api/auth/login")
        .putHeader("X-Forwarded-For", "198.51.100.40").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("not json")));
    assertEquals(400, r.statusCode());
    assertEquals("auth", r.getHeader("X-Upstream"));
  }

  @Test
  void trustedProxyHopsAreSkippedAndSpoofedHopsIgnored() throws Exception {
    HttpResponse<Buffer> r = GatewayHarness.await(h.client.get("/api/auth/whoami")
        .putHeader("X-Forwarded-For", "6.6.6.6, 198.51.100.50, 127.0.0.1").send());
    JsonObject headers = r.bodyAsJsonObject().getJsonObject("headers");
    assertEquals(List.of("198.51.100.50"), headers.getJsonArray("x-forwarded-for").getList());
  }
}
