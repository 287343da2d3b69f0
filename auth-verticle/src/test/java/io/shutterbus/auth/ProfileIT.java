package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.login;
import static io.shutterbus.auth.Accounts.me;
import static io.shutterbus.auth.Accounts.problem;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.auth.db.UserStatsRepository;
import io.shutterbus.events.ImageDeleted;
import io.shutterbus.events.ImageProcessed;
import io.shutterbus.events.ImagePurpose;
import io.shutterbus.events.Topics;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class ProfileIT {
  private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
  private static final String ADMIN = "chief-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  private static AuthApp app;
  private static Http http;
  private static Infra infra;
  private static Vertx tools;

  @BeforeAll
  static void start(Infra given) throws Exception {
    infra = given;
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    Map<String, String> env = new java.util.HashMap<>(infra.env());
    app = AuthApp.start(env);
    http = new Http(app.port);
    tools = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    app.close();
    tools.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void meAnswersTheCallersProfile() {
    String email = uniqueEmail("me");
    String id = registered(http, email);
    HttpResponse<Buffer> res = me(http, login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken"));
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(Set.of("id", "email", "name", "avatarUrl", "createdAt", "imageCount", "roles"), body.fieldNames());
    assertEquals(id, body.getString("id"));
    assertEquals(email, body.getString("email"));
    assertEquals("Test User", body.getString("name"));
    assertEquals(null, body.getValue("avatarUrl"));
    assertEquals(0, body.getInteger("imageCount"));
    Instant.parse(body.getString("createdAt"));
    assertEquals(new JsonArray().add("user"), body.getJsonArray("roles"));
  }

  @Test
  void meTellsAnAdministratorByTheRolesOfTheirToken() {
    registered(http, ADMIN);
    Accounts.grantAdmin(infra.env(), ADMIN);
    JsonObject body = me(http, login(http, ADMIN, PASSWORD).bodyAsJsonObject().getString("accessToken"))
        .bodyAsJsonObject();
    assertEquals(ADMIN, body.getString("email"));
    assertEquals(new JsonArray().add("user").add("admin"), body.getJsonArray("roles"));
  }

  @Test
  void aTokenWithoutARolesClaimGetsNoRoles() throws Exception {
    String email = uniqueEmail("plain");
    String id = registered(http, email);
    String good = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    JWTAuth own = signer(Files.readString(app.dataDir.resolve("keys/jwt-es256.pem")), SessionIT.header(good).getString("kid"));
    String withoutRoles = own.generateToken(new JsonObject(), new JWTOptions().setAlgorithm("ES256")
        .setIssuer("shutterbus").setAudience(List.of("shutterbus-api")).setSubject(id).setExpiresInSeconds(60));
    HttpResponse<Buffer> res = me(http, withoutRoles);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    assertEquals(new JsonArray(), res.bodyAsJsonObject().getJsonArray("roles"), "no roles claim, no roles");
  }

  @Test
  void meWithoutABearerTokenIs401() {
    HttpResponse<Buffer> res = http.get("/api/me", Map.of());
    problem(res, 401);
    assertTrue(res.getHeader("www-authenticate").startsWith("Bearer"));
    problem(http.get("/api/me", Map.of("authorization", "Basic dXNlcjpwYXNz")), 401);
    problem(http.get("/api/me", Map.of("authorization", "Bearer ")), 401);
    problem(http.get("/api/me", Map.of("authorization", "Bearer not.a.jwt")), 401);
  }

  @Test
  void meRefusesTamperedExpiredUnsignedAndForeignTokens() throws Exception {
    String email = uniqueEmail("forged");
    String id = registered(http, email);
    String good = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    String kid = SessionIT.header(good).getString("kid");
    String ownKey = Files.readString(app.dataDir.resolve("keys/jwt-es256.pem"));
    JWTAuth own = signer(ownKey, kid);
    JWTOptions valid = new JWTOptions().setAlgorithm("ES256").setIssuer("shutterbus")
        .setAudience(List.of("shutterbus-api")).setSubject(id);
    // JWT.sign adds exp/iat/aud... to the claims object it is given: each token gets a fresh one.
    java.util.function.Supplier<JsonObject> roles = () -> new JsonObject().put("roles", new JsonArray().add("user"));
    assertEquals(200, me(http, own.generateToken(roles.get(), valid.setExpiresInSeconds(60))).statusCode(),
        "the forging kit itself works");

    String[] parts = good.split("\\.");
    JsonObject adminClaims = SessionIT.claims(good).put("roles", new JsonArray().add("user").add("admin"));
    String tampered = parts[0] + "." + B64U.encodeToString(adminClaims.encode().getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    String unsigned = B64U.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + parts[1] + ".";
    String expired = own.generateToken(roles.get().put("exp", Instant.now().minusSeconds(120).getEpochSecond()),
        new JWTOptions().setAlgorithm("ES256").setIssuer("shutterbus").setAudience(List.of("shutterbus-api"))
            .setSubject(id));
    String withoutExp = own.generateToken(roles.get(), new JWTOptions().setAlgorithm("ES256").setIssuer("shutterbus")
        .setAudience(List.of("shutterbus-api")).setSubject(id));
    String otherAudience = own.generateToken(roles.get(), new JWTOptions().setAlgorithm("ES256").setIssuer("shutterbus")
        .setAudience(List.of("another-api")).setSubject(id).setExpiresInSeconds(60));
    String otherIssuer = own.generateToken(roles.get(), new JWTOptions().setAlgorithm("ES256").setIssuer("evil")
        .setAudience(List.of("shutterbus-api")).setSubject(id).setExpiresInSeconds(60));
    String foreignKey = signer(foreignPem(), kid).generateToken(roles.get(), new JWTOptions().setAlgorithm("ES256")
        .setIssuer("shutterbus").setAudience(List.of("shutterbus-api")).setSubject(id).setExpiresInSeconds(60));
    String hs256 = hs256WithPublicKeyAsSecret(parts[1], http.get("/.well-known/jwks.json", Map.of()).bodyAsString());

    Map<String, String> forged = Map.of("tampered payload", tampered, "alg none", unsigned, "expired", expired,
        "without exp", withoutExp, "wrong audience", otherAudience, "wrong issuer", otherIssuer,
        "another key under our kid", foreignKey, "HS256 keyed with the public key", hs256);
    forged.forEach((what, token) -> {
      HttpResponse<Buffer> res = me(http, token);
      assertEquals(401, res.statusCode(), what + ": " + res.bodyAsString());
      assertEquals("application/problem+json", res.getHeader("content-type"), what);
    });
  }

  @Test
  void processedImagesFeedTheProfileOnceEach() {
    String email = uniqueEmail("stats");
    UUID id = UUID.fromString(registered(http, email));
    String token = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    Pool pool = PgPools.create(tools, new PgSettings(infra.pgHost(), infra.pgPort(), infra.pgDatabase(),
        infra.pgUser(), infra.pgPassword(), 2, 2000), "stats-test", 2);
    try {
      UserStatsRepository stats = new UserStatsRepository(pool);
      ImageProcessed gallery = processed(UUID.randomUUID(), id, ImagePurpose.GALLERY, "/uploads/a.png", Instant.now());
      Http.await(stats.applyImageProcessed(gallery));
      Http.await(stats.applyImageProcessed(gallery));  // redelivered
      Http.await(stats.applyImageProcessed(processed(UUID.randomUUID(), id, ImagePurpose.GALLERY, "/uploads/b.png",
          Instant.now())));
      Instant later = Instant.now();
      Http.await(stats.applyImageProcessed(processed(UUID.randomUUID(), id, ImagePurpose.AVATAR, "/uploads/new.png",
          later)));
      Http.await(stats.applyImageProcessed(processed(UUID.randomUUID(), id, ImagePurpose.AVATAR, "/uploads/old.png",
          later.minusSeconds(60))));  // arrives late, must not win
      JsonObject body = me(http, token).bodyAsJsonObject();
      assertEquals(2, body.getInteger("imageCount"));
      assertEquals("/uploads/new.png.256.jpg", body.getString("avatarUrl"),
          "the newest avatar, as its smallest thumbnail (a rendered JPEG without metadata), not the original");
    } finally {
      pool.close();
    }
  }

  @Test
  void aReAnnouncedCurrentAvatarMovesItsUrlButAReAnnouncedOlderOneDoesNotComeBack() {
    String email = uniqueEmail("moved");
    UUID id = UUID.fromString(registered(http, email));
    String token = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    Pool pool = PgPools.create(tools, new PgSettings(infra.pgHost(), infra.pgPort(), infra.pgDatabase(),
        infra.pgUser(), infra.pgPassword(), 2, 2000), "moved-test", 2);
    try {
      UserStatsRepository stats = new UserStatsRepository(pool);
      UUID older = UUID.randomUUID();
      UUID current = UUID.randomUUID();
      Instant then = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MICROS);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      Http.await(stats.applyImageProcessed(processed(older, id, ImagePurpose.AVATAR, "/uploads/older.jpg", then)));
      Http.await(stats.applyImageProcessed(processed(current, id, ImagePurpose.AVATAR, "/uploads/current.jpg", now)));

      // the image service rewrote both blobs without metadata and announces them again, dated when processed
      Http.await(stats.applyImageProcessed(processed(older, id, ImagePurpose.AVATAR, "/uploads/older2.jpg", then)));
      Http.await(stats.applyImageProcessed(processed(current, id, ImagePurpose.AVATAR, "/uploads/current2.jpg",
          now.minusMillis(5))));
      assertEquals("/uploads/current2.jpg.256.jpg", me(http, token).bodyAsJsonObject().getString("avatarUrl"),
          "the current avatar follows its files; the older one does not come back");
    } finally {
      pool.close();
    }
  }

  @Test
  void deletedImagesLeaveTheProfileOnceEachInAnyOrder() {
    String email = uniqueEmail("deleted");
    UUID id = UUID.fromString(registered(http, email));
    String token = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    Pool pool = PgPools.create(tools, new PgSettings(infra.pgHost(), infra.pgPort(), infra.pgDatabase(),
        infra.pgUser(), infra.pgPassword(), 2, 2000), "deleted-test", 2);
    try {
      UserStatsRepository stats = new UserStatsRepository(pool);
      UUID kept = UUID.randomUUID();
      UUID removed = UUID.randomUUID();
      UUID removedFirst = UUID.randomUUID();
      UUID avatar = UUID.randomUUID();
      Instant now = Instant.now();
      Http.await(stats.applyImageProcessed(processed(kept, id, ImagePurpose.GALLERY, "/uploads/k.png", now)));
      Http.await(stats.applyImageProcessed(processed(removed, id, ImagePurpose.GALLERY, "/uploads/r.png", now)));
      Http.await(stats.applyImageProcessed(processed(avatar, id, ImagePurpose.AVATAR, "/uploads/me.png", now)));
      assertEquals(2, me(http, token).bodyAsJsonObject().getInteger("imageCount"));

      ImageDeleted deletion = new ImageDeleted(removed, id, ImagePurpose.GALLERY, "/uploads/r.png", now);
      Http.await(stats.applyImageDeleted(deletion));
      Http.await(stats.applyImageDeleted(deletion));  // redelivered: counted down once
      // A deletion that overtakes its image's processed event: the late event counts nothing.
      Http.await(stats.applyImageDeleted(new ImageDeleted(removedFirst, id, ImagePurpose.GALLERY, "/uploads/f.png", now)));
      Http.await(stats.applyImageProcessed(processed(removedFirst, id, ImagePurpose.GALLERY, "/uploads/f.png", now)));
      Http.await(stats.applyImageDeleted(new ImageDeleted(avatar, id, ImagePurpose.AVATAR, "/uploads/me.png", now)));

      JsonObject body = me(http, token).bodyAsJsonObject();
      assertEquals(1, body.getInteger("imageCount"));
      assertNull(body.getValue("avatarUrl"), "the deleted avatar is gone from the profile");
    } finally {
      pool.close();
    }
  }

  @Test
  void anAvatarSetTwiceFromTheSameFileSurvivesTheDeletionOfTheOlderImage() {
    String email = uniqueEmail("avatar-twice");
    UUID id = UUID.fromString(registered(http, email));
    String token = login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    Pool pool = PgPools.create(tools, new PgSettings(infra.pgHost(), infra.pgPort(), infra.pgDatabase(),
        infra.pgUser(), infra.pgPassword(), 2, 2000), "avatar-twice-test", 2);
    try {
      UserStatsRepository stats = new UserStatsRepository(pool);
      UUID first = UUID.randomUUID();
      UUID second = UUID.randomUUID();
      Instant then = Instant.now().minusSeconds(60);
      Instant now = Instant.now();
      String sameFile = "/uploads/" + "c".repeat(64) + ".png";
      Http.await(stats.applyImageProcessed(processed(first, id, ImagePurpose.AVATAR, sameFile, then)));
      Http.await(stats.applyImageProcessed(processed(second, id, ImagePurpose.AVATAR, sameFile, now)));

      ImageDeleted olderDeleted = new ImageDeleted(first, id, ImagePurpose.AVATAR, sameFile, now);
      Http.await(stats.applyImageDeleted(olderDeleted));
      Http.await(stats.applyImageDeleted(olderDeleted));  // redelivered
      Http.await(stats.applyImageProcessed(processed(first, id, ImagePurpose.AVATAR, sameFile, then)));  // late copy
      assertEquals(sameFile + ".256.jpg", me(http, token).bodyAsJsonObject().getString("avatarUrl"), "the current avatar stays");

      // A deletion that overtakes its avatar's processed event: the late event sets nothing.
      UUID overtaken = UUID.randomUUID();
      Http.await(stats.applyImageDeleted(new ImageDeleted(overtaken, id, ImagePurpose.AVATAR, "/uploads/o.png", now)));
      Http.await(stats.applyImageProcessed(processed(overtaken, id, ImagePurpose.AVATAR, "/uploads/o.png",
          now.plusSeconds(1))));
      assertEquals(sameFile + ".256.jpg", me(http, token).bodyAsJsonObject().getString("avatarUrl"));

      Http.await(stats.applyImageDeleted(new ImageDeleted(second, id, ImagePurpose.AVATAR, sameFile, now)));
      assertNull(me(http, token).bodyAsJsonObject().getValue("avatarUrl"), "deleting the current avatar clears it");
    } finally {
      pool.close();
    }
  }

  @Test
  void managementServerReportsReadinessAndOutboxMetrics() {
    HttpResponse<Buffer> ready = http.getOn(app.managementPort, "/health/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    String checks = ready.bodyAsString();
    assertTrue(checks.contains("postgresql") && checks.contains("kafka"), checks);
    String metrics = http.getOn(app.managementPort, "/metrics").bodyAsString();
    assertTrue(metrics.contains("shutterbus_outbox_pending{schema=\"auth\"}"), "pending gauge exported");
    assertTrue(metrics.contains("shutterbus_outbox_publish_failures_total{schema=\"auth\"}"), "failure counter exported");
  }

  private static ImageProcessed processed(UUID image, UUID owner, ImagePurpose purpose, String url, Instant at) {
    return new ImageProcessed(image, owner, purpose, 10, 10, "png", Map.of(1024, url + ".1024.jpg", 256, url + ".256.jpg"),
        url, at);
  }

  private static JWTAuth signer(String privatePem, String kid) {
    return JWTAuth.create(tools, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(kid).setBuffer(privatePem)));
  }

  private static String foreignPem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] der = g.generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
  }

  private static String hs256WithPublicKeyAsSecret(String payload, String jwks) throws Exception {
    String head = B64U.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(jwks.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signingInput = head + "." + payload;
    return signingInput + "." + B64U.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
  }
}
