package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.COOKIE;
import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.badField;
import static io.shutterbus.auth.Accounts.login;
import static io.shutterbus.auth.Accounts.problem;
import static io.shutterbus.auth.Accounts.refresh;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class SessionIT {
  private static AuthApp app;
  private static Http http;
  private static Infra infra;

  @BeforeAll
  static void start(Infra given) throws Exception {
    infra = given;
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    Map<String, String> env = new HashMap<>(infra.env());
    app = AuthApp.start(env);
    http = new Http(app.port);
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    app.close();
  }

  static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  static JsonObject header(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  @Test
  void loginAnswersABearerTokenAndSetsAStrictHttpOnlyRefreshCookie() {
    String email = uniqueEmail("login");
    registered(http, email);
    HttpResponse<Buffer> res = login(http, email.toUpperCase(), PASSWORD);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject body = res.bodyAsJsonObject();
    assertEquals("Bearer", body.getString("tokenType"));
    assertEquals(900, body.getInteger("expiresIn"));
    assertEquals(3, body.getString("accessToken").split("\\.").length);
    assertEquals("no-store", res.getHeader("cache-control"));
    String cookie = Http.setCookie(res, COOKIE).orElseThrow();
    assertTrue(cookie.toLowerCase().contains("; httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("Path=/api/auth"), cookie);
    assertFalse(cookie.contains("Secure"), "Secure only with AUTH_COOKIE_SECURE: " + cookie);
    assertTrue(Http.cookieValue(res, COOKIE).orElseThrow().matches("[A-Za-z0-9_-]{43}"), cookie);
  }

  @Test
  void unknownEmailAndWrongPasswordGetTheSameAnswerInAboutTheSameTime() {
    String email = uniqueEmail("uniform");
    registered(http, email);
    login(http, email, PASSWORD);  // warm up
    List<Long> unknown = new ArrayList<>();
    List<Long> wrong = new ArrayList<>();
    JsonObject unknownBody = null;
    JsonObject wrongBody = null;
    for (int i = 0; i < 7; i++) {
      long t0 = System.nanoTime();
      HttpResponse<Buffer> u = login(http, uniqueEmail("nobody"), PASSWORD);
      unknown.add(System.nanoTime() - t0);
      t0 = System.nanoTime();
      HttpResponse<Buffer> w = login(http, email, PASSWORD + "!");
      wrong.add(System.nanoTime() - t0);
      unknownBody = withoutRequestIdentity(problem(u, 401));
      wrongBody = withoutRequestIdentity(problem(w, 401));
      assertTrue(Http.setCookie(u, COOKIE).isEmpty() && Http.setCookie(w, COOKIE).isEmpty());
    }
    assertEquals(wrongBody, unknownBody);
    double ratio = (double) median(unknown) / median(wrong);
    assertTrue(ratio > 0.5 && ratio < 2.0, "unknown e-mail " + median(unknown) / 1_000_000 + " ms vs wrong password "
        + median(wrong) / 1_000_000 + " ms");
  }

  @Test
  void badLoginInputIs400NamingTheField() {
    badField(http.postJson("/api/auth/login", new JsonObject().put("email", uniqueEmail("x"))), "password");
    badField(http.postJson("/api/auth/login", new JsonObject().put("password", PASSWORD)), "email");
    badField(login(http, "not an email", PASSWORD), "email");
    badField(login(http, uniqueEmail("x"), "p".repeat(129)), "password");
    problem(http.post("/api/auth/login", "{\"email\":", Map.of()), 400);
  }

  @Test
  void accessTokensCarryTheAgreedClaimsAndVerifyAgainstTheJwks() throws Exception {
    String email = uniqueEmail("claims");
    String id = registered(http, email);
    String token = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    JsonObject header = header(token);
    JsonObject claims = claims(token);
    assertEquals("ES256", header.getString("alg"));
    assertEquals("shutterbus", claims.getString("iss"));
    assertEquals("shutterbus-api", claims.getValue("aud") instanceof JsonArray a ? a.getString(0) : claims.getString("aud"));
    assertEquals(id, claims.getString("sub"));
    assertEquals(new JsonArray().add("user"), claims.getJsonArray("roles"));
    assertEquals(900, claims.getLong("exp") - claims.getLong("iat"));
    assertFalse(claims.containsKey("email"), "no e-mail in tokens");

    HttpResponse<Buffer> jwksRes = http.get("/.well-known/jwks.json", Map.of());
    assertEquals(200, jwksRes.statusCode());
    assertTrue(jwksRes.getHeader("cache-control").contains("max-age"));
    JsonObject jwk = jwksRes.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0);
    assertEquals(header.getString("kid"), jwk.getString("kid"));
    assertEquals("EC", jwk.getString("kty"));
    assertEquals("P-256", jwk.getString("crv"));
    assertEquals("ES256", jwk.getString("alg"));
    assertFalse(jwk.containsKey("d"), "no private part in the JWKS");

    Vertx vertx = Vertx.vertx();
    try {
      JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(jwk)
          .setJWTOptions(new JWTOptions().setIssuer("shutterbus").setAudience(List.of("shutterbus-api"))));
      User user = Http.await(verifier.authenticate(new TokenCredentials(token)));
      assertEquals(id, user.principal().getString("sub"));
    } finally {
      vertx.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void refreshRotatesTheCookieAndAnswersAFreshAccessToken() {
    String email = uniqueEmail("rotate");
    registered(http, email);
    String first = Http.cookieValue(login(http, email, PASSWORD), COOKIE).orElseThrow();
    HttpResponse<Buffer> r1 = refresh(http, first);
    assertEquals(200, r1.statusCode(), r1.bodyAsString());
    assertEquals("Bearer", r1.bodyAsJsonObject().getString("tokenType"));
    assertEquals(200, Accounts.me(http, r1.bodyAsJsonObject().getString("accessToken")).statusCode());
    String second = Http.cookieValue(r1, COOKIE).orElseThrow();
    assertNotEquals(first, second);
    HttpResponse<Buffer> r2 = refresh(http, second);
    assertEquals(200, r2.statusCode(), r2.bodyAsString());
    assertNotEquals(second, Http.cookieValue(r2, COOKIE).orElseThrow());
  }

  @Test
  void replayingAUsedRefreshTokenRevokesItsWholeFamily() {
    String email = uniqueEmail("replay");
    registered(http, email);
    String stolen = Http.cookieValue(login(http, email, PASSWORD), COOKIE).orElseThrow();
    String otherDevice = Http.cookieValue(login(http, email, PASSWORD), COOKIE).orElseThrow();
    String current = Http.cookieValue(refresh(http, stolen), COOKIE).orElseThrow();

    HttpResponse<Buffer> replay = refresh(http, stolen);
    problem(replay, 401);
    assertTrue(Http.setCookie(replay, COOKIE).orElseThrow().contains("Max-Age=0"), "the cookie is cleared");
    problem(refresh(http, current), 401);  // the legitimate successor died with its family
    assertEquals(200, refresh(http, otherDevice).statusCode(), "another login's family is untouched");
  }

  @Test
  void logoutRevokesTheSessionAndClearsTheCookie() {
    String email = uniqueEmail("logout");
    registered(http, email);
    String cookie = Http.cookieValue(login(http, email, PASSWORD), COOKIE).orElseThrow();
    HttpResponse<Buffer> out = http.post("/api/auth/logout", "", Map.of("cookie", COOKIE + "=" + cookie));
    assertEquals(204, out.statusCode());
    String cleared = Http.setCookie(out, COOKIE).orElseThrow();
    assertTrue(cleared.contains("Max-Age=0") && cleared.contains("Path=/api/auth"), cleared);
    problem(refresh(http, cookie), 401);
    assertEquals(204, http.post("/api/auth/logout", "", Map.of()).statusCode(), "logout without a session is fine");
  }

  @Test
  void expiredRefreshTokensAreSweptAndStayRefused() throws Exception {
    String email = uniqueEmail("sweep");
    registered(http, email);
    String cookie = Http.cookieValue(login(http, email, PASSWORD), COOKIE).orElseThrow();
    io.vertx.core.Vertx tools = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.Pool pool = io.shutterbus.kit.db.PgPools.create(tools, new io.shutterbus.kit.config.PgSettings(
          infra.pgHost(), infra.pgPort(), infra.pgDatabase(), infra.pgUser(), infra.pgPassword(), 1, 2000), "sweep-test", 1);
      String userId = Accounts.me(http, login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken"))
          .bodyAsJsonObject().getString("id");
      pool.preparedQuery("update auth.refresh_tokens set expires_at = now() - interval '2 days' where user_id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(userId))).await(10, TimeUnit.SECONDS);
      int swept = new io.shutterbus.auth.db.RefreshTokenRepository(pool).deleteExpired().await(10, TimeUnit.SECONDS);
      assertTrue(swept >= 2, "both sessions of the user were expired: " + swept);
      assertEquals(0, pool.preparedQuery("select count(*) from auth.refresh_tokens where user_id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(java.util.UUID.fromString(userId))).await(10, TimeUnit.SECONDS)
          .iterator().next().getLong(0));
      problem(refresh(http, cookie), 401);
    } finally {
      tools.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void refreshWithoutAValidCookieIs401() {
    problem(refresh(http, null), 401);
    problem(refresh(http, "garbage"), 401);
    problem(refresh(http, "A".repeat(43)), 401);
  }

  private static JsonObject withoutRequestIdentity(JsonObject problem) {
    JsonObject copy = problem.copy();
    copy.remove("requestId");
    return copy;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
