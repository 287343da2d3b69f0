package io.shutterbus.platform.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.platform.PlatformExtension;
import io.shutterbus.platform.PlatformUnderTest;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole account flow as a client of the gateway sees it, on the real platform (embedded
 * PostgreSQL and Kafka, every service): register, log in, profile, refresh, logout, bad input,
 * bad tokens, and the users.registered event each registration publishes.
 */
@ExtendWith(PlatformExtension.class)
class AccountFlowIT {
  static Vertx vertx;
  static WebClient client;
  static PlatformUnderTest platform;

  @BeforeAll
  static void start(PlatformUnderTest given) {
    platform = given;
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(Integer.parseInt(platform.env.get("GATEWAY_PORT"))));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> req, JsonObject body) throws Exception {
    return (body == null ? req.send() : req.sendJsonObject(body)).await(15, TimeUnit.SECONDS);
  }

  static String uniqueEmail() {
    return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  static JsonObject registration(String email) {
    return new JsonObject().put("email", email).put("password", "correct horse battery").put("name", "Ada Lovelace");
  }

  static void assertProblem(HttpResponse<Buffer> res, int status, String field) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(status, body.getInteger("status"));
    assertNotNull(body.getString("detail"));
    assertNotNull(body.getString("requestId"));
    if (field != null) {
      assertEquals(field, body.getString("field"), body.encode());
    }
  }

  @Test
  void registerLoginProfileRefreshLogout() throws Exception {
    String email = uniqueEmail();
    HttpResponse<Buffer> registered = send(client.post("/api/auth/register"), registration("  " + email.toUpperCase() + " "));
    assertEquals(201, registered.statusCode(), registered.bodyAsString());
    JsonObject user = registered.bodyAsJsonObject();
    assertEquals(email, user.getString("email"), "e-mail normalised");
    assertEquals("Ada Lovelace", user.getString("name"));
    assertNotNull(user.getString("createdAt"));
    assertFalse(registered.bodyAsString().contains("correct horse"), "no password in the answer");
    assertEquals("nosniff", registered.getHeader("X-Content-Type-Options"));
    assertTrue(registered.getHeader("Content-Security-Policy").contains("frame-ancestors 'none'"));

    HttpResponse<Buffer> login = send(client.post("/api/auth/login"),
        new JsonObject().put("email", email).put("password", "correct horse battery"));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    String token = login.bodyAsJsonObject().getString("accessToken");
    assertEquals("Bearer", login.bodyAsJsonObject().getString("tokenType"));
    assertEquals(900, login.bodyAsJsonObject().getInteger("expiresIn"));
    String cookie = login.cookies().stream().filter(c -> c.toLowerCase().contains("httponly"))
        .findFirst().orElseThrow(() -> new AssertionError("no HttpOnly refresh cookie: " + login.cookies()));
    String attributes = cookie.toLowerCase();  // cookie attribute names are case-insensitive
    assertTrue(attributes.contains("samesite=strict"), cookie);
    assertTrue(attributes.contains("path=/api/auth"), cookie);

    HttpResponse<Buffer> me = send(client.get("/api/me").bearerTokenAuthentication(token), null);
    assertEquals(200, me.statusCode(), me.bodyAsString());
    assertEquals(user.getString("id"), me.bodyAsJsonObject().getString("id"));
    assertEquals(email, me.bodyAsJsonObject().getString("email"));
    assertEquals(0, me.bodyAsJsonObject().getInteger("imageCount"));
    assertTrue(me.bodyAsJsonObject().containsKey("avatarUrl"));

    String cookiePair = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<Buffer> refreshed = send(client.post("/api/auth/refresh").putHeader("Cookie", cookiePair), null);
    assertEquals(200, refreshed.statusCode(), refreshed.bodyAsString());
    String newToken = refreshed.bodyAsJsonObject().getString("accessToken");
    assertNotEquals(token, newToken);
    String rotated = refreshed.cookies().get(0);
    assertNotEquals(cookiePair, rotated.substring(0, rotated.indexOf(';')), "the refresh cookie rotates");
    assertEquals(200, send(client.get("/api/me").bearerTokenAuthentication(newToken), null).statusCode());

    HttpResponse<Buffer> replay = send(client.post("/api/auth/refresh").putHeader("Cookie", cookiePair), null);
    assertProblem(replay, 401, null);
    HttpResponse<Buffer> afterReplay = send(client.post("/api/auth/refresh")
        .putHeader("Cookie", rotated.substring(0, rotated.indexOf(';'))), null);
    assertProblem(afterReplay, 401, null);

    HttpResponse<Buffer> again = send(client.post("/api/auth/login"),
        new JsonObject().put("email", email).put("password", "correct horse battery"));
    String second = again.cookies().get(0);
    HttpResponse<Buffer> logout = send(client.post("/api/auth/logout")
        .putHeader("Cookie", second.substring(0, second.indexOf(';'))), null);
    assertEquals(204, logout.statusCode(), logout.bodyAsString());
    assertProblem(send(client.post("/api/auth/refresh").putHeader("Cookie", second.substring(0, second.indexOf(';'))), null), 401, null);

    List<ConsumerRecord<String, String>> events = usersRegistered(user.getString("id"));
    assertEquals(1, events.size(), "exactly one users.registered per registration");
    ConsumerRecord<String, String> event = events.get(0);
    assertEquals("shutterbus.user.registered.v1", header(event, "ce_type"));
    assertEquals("1.0", header(event, "ce_specversion"));
    assertNotNull(header(event, "ce_id"));
    assertNotNull(header(event, "ce_source"));
    assertNotNull(header(event, "ce_time"));
    assertEquals(user.getString("id"), header(event, "ce_subject"));
    JsonObject data = new JsonObject(event.value());
    assertEquals(email, data.getString("email"));
    assertFalse(event.value().contains("correct horse"), "no password in the event");
    assertFalse(event.value().contains("argon2"), "no hash in the event");
  }

  @Test
  void badInputGetsProblemsNamingTheField() throws Exception {
    HttpResponse<Buffer> malformed = client.post("/api/auth/register").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{\"email\": ")).await(15, TimeUnit.SECONDS);
    assertProblem(malformed, 400, null);
    assertProblem(send(client.post("/api/auth/register"), registration(uniqueEmail()).put("email", "not-an-email")), 400, "email");
    assertProblem(send(client.post("/api/auth/register"), registration(uniqueEmail()).put("password", "short")), 400, "password");
    assertProblem(send(client.post("/api/auth/register"), registration(uniqueEmail()).put("name", "x".repeat(101))), 400, "name");
    JsonObject missing = registration(uniqueEmail());
    missing.remove("name");
    assertProblem(send(client.post("/api/auth/register"), missing), 400, "name");

    String email = "case-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    assertEquals(201, send(client.post("/api/auth/register"), registration(email)).statusCode());
    HttpResponse<Buffer> taken = send(client.post("/api/auth/register"),
        registration(email.substring(0, 1).toUpperCase() + email.substring(1).replace("example", "Example")));
    assertProblem(taken, 409, null);
  }

  @Test
  void namesThatLookLikeCodeAreStoredAndReturnedLiterally() throws Exception {
    for (String name : List.of("Robert'); DROP TABLE auth.users;--", "<img src=x onerror=alert(1)>")) {
      String email = uniqueEmail();
      HttpResponse<Buffer> res = send(client.post("/api/auth/register"), registration(email).put("name", name));
      assertEquals(201, res.statusCode(), res.bodyAsString());
      assertEquals(name, res.bodyAsJsonObject().getString("name"));
      String token = send(client.post("/api/auth/login"),
          new JsonObject().put("email", email).put("password", "correct horse battery")).bodyAsJsonObject().getString("accessToken");
      assertEquals(name, send(client.get("/api/me").bearerTokenAuthentication(token), null).bodyAsJsonObject().getString("name"));
    }
  }

  @Test
  void unknownEmailAndWrongPasswordLookTheSame() throws Exception {
    String email = uniqueEmail();
    send(client.post("/api/auth/register"), registration(email));
    HttpResponse<Buffer> wrong = send(client.post("/api/auth/login"), new JsonObject().put("email", email).put("password", "wrong password!!"));
    HttpResponse<Buffer> unknown = send(client.post("/api/auth/login"),
        new JsonObject().put("email", uniqueEmail()).put("password", "wrong password!!"));
    assertProblem(wrong, 401, null);
    assertProblem(unknown, 401, null);
    JsonObject a = wrong.bodyAsJsonObject();
    JsonObject b = unknown.bodyAsJsonObject();
    assertEquals(a.getString("detail"), b.getString("detail"));
    assertEquals(a.getString("type"), b.getString("type"));
    assertEquals(a.getString("title"), b.getString("title"));
  }

  @Test
  void everyBadTokenIs401() throws Exception {
    String email = uniqueEmail();
    send(client.post("/api/auth/register"), registration(email));
    String token = send(client.post("/api/auth/login"),
        new JsonObject().put("email", email).put("password", "correct horse battery")).bodyAsJsonObject().getString("accessToken");
    String[] parts = token.split("\\.");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String expired = parts[0] + "." + b64.encodeToString(payload.copy().put("exp", 1).encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    String otherAudience = parts[0] + "." + b64.encodeToString(payload.copy().put("aud", "someone-else").encode()
        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    String none = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    sig[5] ^= 1;
    String tampered = parts[0] + "." + parts[1] + "." + b64.encodeToString(sig);
    for (String bad : List.of(expired, otherAudience, none, tampered, "garbage")) {
      HttpResponse<Buffer> res = send(client.get("/api/me").bearerTokenAuthentication(bad), null);
      assertProblem(res, 401, null);
    }
    assertProblem(send(client.get("/api/me"), null), 401, null);
    assertEquals(200, send(client.get("/api/me").bearerTokenAuthentication(token), null).statusCode());
  }

  @Test
  void clientSentIdentityHeadersAreIgnored() throws Exception {
    HttpResponse<Buffer> anonymous = send(client.get("/api/me").putHeader("X-User-Id", UUID.randomUUID().toString())
        .putHeader("X-User-Roles", "admin"), null);
    assertProblem(anonymous, 401, null);

    // With a real token of an ordinary user, headers naming someone else and the admin role change nothing.
    String victim = send(client.post("/api/auth/register"), registration(uniqueEmail())).bodyAsJsonObject().getString("id");
    String email = uniqueEmail();
    String mine = send(client.post("/api/auth/register"), registration(email)).bodyAsJsonObject().getString("id");
    String token = send(client.post("/api/auth/login"), new JsonObject().put("email", email)
        .put("password", "correct horse battery")).bodyAsJsonObject().getString("accessToken");
    HttpResponse<Buffer> me = send(client.get("/api/me").bearerTokenAuthentication(token)
        .putHeader("X-User-Id", victim).putHeader("X-User-Roles", "admin").putHeader("X-User-Email", "admin@x.io"), null);
    assertEquals(200, me.statusCode(), me.bodyAsString());
    assertEquals(mine, me.bodyAsJsonObject().getString("id"), "the token decides who this is");
    assertEquals(email, me.bodyAsJsonObject().getString("email"));
    assertFalse(me.bodyAsJsonObject().getJsonArray("roles").contains("admin"), me.bodyAsString());
    HttpResponse<Buffer> admin = send(client.get("/api/admin/events/topics").bearerTokenAuthentication(token)
        .putHeader("X-User-Roles", "admin").putHeader("X-User-Id", victim), null);
    assertProblem(admin, 403, null);
  }

  @Test
  void theAccountAnOperatorGrantedIsAdmin() throws Exception {
    String token = send(client.post("/api/auth/login"), new JsonObject().put("email", PlatformUnderTest.ADMIN_EMAIL)
        .put("password", PlatformUnderTest.ADMIN_PASSWORD)).bodyAsJsonObject().getString("accessToken");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    assertTrue(claims.getJsonArray("roles").contains("admin"), claims.encode());
    assertNull(claims.getString("email"), "no e-mail in tokens");
  }

  /** The operator's tool as shipped: bin/admin on the built jar, against this platform's embedded database. */
  @Test
  void binAdminGrantsAndRevokesOnTheRunningPlatform() throws Exception {
    String email = uniqueEmail();
    send(client.post("/api/auth/register"), registration(email));
    java.nio.file.Path script = java.nio.file.Path.of("..", "bin", "admin");
    ProcessBuilder grant = new ProcessBuilder(script.toString(), "--by", "it-operator", "grant", email).redirectErrorStream(true);
    grant.environment().put("EMBEDDED_PG_PORT", platform.env.get("EMBEDDED_PG_PORT"));
    Process p = grant.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/admin grant did not finish");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("granted admin to " + email), output);
    String token = send(client.post("/api/auth/login"), new JsonObject().put("email", email)
        .put("password", "correct horse battery")).bodyAsJsonObject().getString("accessToken");
    assertEquals(200, send(client.get("/api/admin/events/topics").bearerTokenAuthentication(token), null).statusCode());

    ProcessBuilder unknown = new ProcessBuilder(script.toString(), "revoke", "nobody-" + email).redirectErrorStream(true);
    unknown.environment().put("EMBEDDED_PG_PORT", platform.env.get("EMBEDDED_PG_PORT"));
    Process q = unknown.start();
    assertTrue(q.waitFor(60, TimeUnit.SECONDS));
    assertEquals(4, q.exitValue(), new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * Every users.registered record of this user, counted once auth's outbox is drained: a second
   * record (a duplicate publish) would already be on the topic, so "exactly one" means one.
   */
  static List<ConsumerRecord<String, String>> usersRegistered(String userId) {
    Settled.on(platform.kafkaBootstrap())
        .outbox("jdbc:postgresql://127.0.0.1:" + platform.env.get("EMBEDDED_PG_PORT") + "/shutterbus", "postgres", "",
            "auth")
        .await(Duration.ofSeconds(60));
    return TestKafka.readToEnd(platform.kafkaBootstrap(), "users.registered").stream()
        .filter(r -> userId.equals(r.key())).toList();
  }

  static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
