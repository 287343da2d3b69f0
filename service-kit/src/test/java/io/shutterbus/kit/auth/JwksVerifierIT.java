package io.shutterbus.kit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.auth.InvalidTokenException.Reason;
import io.shutterbus.testkit.TestTokens;
import io.shutterbus.testkit.TestTokens.SigningKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwksVerifierIT {
  private static final String ISS = "shutterbus";
  private static final String AUD = "shutterbus-api";
  private static Vertx vertx;
  private static final SigningKey K1 = TestTokens.es256("k1");
  private static final SigningKey K2 = TestTokens.es256("k2");
  private JwksServer jwks;
  private JwksVerifier verifier;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void startJwks() throws Exception {
    jwks = new JwksServer(TestTokens.jwks(K1));
    vertx.deployVerticle(jwks).await(5, TimeUnit.SECONDS);
    verifier = verifier(Duration.ofHours(1));
  }

  private JwksVerifier verifier(Duration refetchInterval) {
    return JwksVerifier.create(vertx, JwtSettings.of(jwks.url(), ISS, AUD).withRefetchMinInterval(refetchInterval));
  }

  private static TestTokens.Claims claims() {
    return TestTokens.claims(ISS, AUD, UUID.randomUUID().toString());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 5 s", e);
    }
  }

  private Throwable failure(JwksVerifier v, String token) {
    Future<AuthPrincipal> f = v.verify(token);
    try {
      f.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the failure is read from the future below
    }
    assertTrue(f.failed(), "token must be refused");
    return f.cause();
  }

  private Reason refused(String token) {
    Throwable t = failure(verifier, token);
    return assertInstanceOf(InvalidTokenException.class, t, t.toString()).reason();
  }

  @Test
  void validTokenGivesItsSubjectAndRoles() {
    String sub = UUID.randomUUID().toString();
    String token = K1.sign(TestTokens.claims(ISS, AUD, sub).put("roles", java.util.List.of("user", "admin")));
    AuthPrincipal p = await(verifier.verify(token));
    assertEquals(sub, p.userId());
    assertEquals(Set.of("user", "admin"), p.roles());
    assertTrue(p.expiresAt().isAfter(Instant.now()));
  }

  @Test
  void audienceMayBeAnArray() {
    String token = K1.sign(claims().put("aud", java.util.List.of("other", AUD)));
    assertEquals(Set.of("user"), await(verifier.verify(token)).roles());
  }

  @Test
  void expiredTokenIsRefused() {
    long now = Instant.now().getEpochSecond();
    assertEquals(Reason.EXPIRED, refused(K1.sign(claims().put("iat", now - 1000).put("exp", now - 60))));
  }

  @Test
  void tokenWithoutExpIsRefused() {
    assertEquals(Reason.MISSING_CLAIM, refused(K1.sign(claims().without("exp"))));
  }

  @Test
  void tokenNotValidYetIsRefused() {
    assertEquals(Reason.NOT_YET_VALID, refused(K1.sign(claims().put("nbf", Instant.now().getEpochSecond() + 600))));
  }

  @Test
  void tamperedSignatureIsRefused() {
    assertEquals(Reason.SIGNATURE, refused(TestTokens.withTamperedSignature(K1.sign(claims()))));
  }

  @Test
  void tamperedPayloadIsRefused() {
    String token = K1.sign(claims());
    String forged = TestTokens.withPayload(token, claims().put("roles", java.util.List.of("user", "admin")).json());
    assertEquals(Reason.SIGNATURE, refused(forged));
  }

  @Test
  void tokenSignedByAnotherKeyUnderAKnownKidIsRefused() {
    SigningKey impostor = TestTokens.es256("k1");
    assertEquals(Reason.SIGNATURE, refused(impostor.sign(claims())));
  }

  @Test
  void algNoneIsRefused() {
    String payload = claims().json();
    assertEquals(Reason.ALGORITHM, refused(TestTokens.unsigned("{\"alg\":\"none\",\"kid\":\"k1\"}", payload)));
    assertEquals(Reason.ALGORITHM, refused(TestTokens.unsigned("{\"alg\":\"none\"}", payload)));
    assertEquals(Reason.ALGORITHM, refused(TestTokens.unsigned("{\"alg\":\"NONE\",\"typ\":\"JWT\"}", payload)));
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() {
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
    String payload = claims().json();
    assertEquals(Reason.ALGORITHM, refused(TestTokens.hs256(K1.publicKeyDer(), header, payload)));
    assertEquals(Reason.ALGORITHM,
        refused(TestTokens.hs256(K1.publicKeyPem().getBytes(StandardCharsets.US_ASCII), header, payload)));
    assertEquals(Reason.ALGORITHM, refused(TestTokens.hs256(K1.jwk().getBytes(StandardCharsets.UTF_8), header, payload)));
  }

  @Test
  void wrongAudienceIsRefused() {
    assertEquals(Reason.AUDIENCE, refused(K1.sign(claims().put("aud", "someone-else"))));
    assertEquals(Reason.AUDIENCE, refused(K1.sign(claims().without("aud"))));
  }

  @Test
  void wrongIssuerIsRefused() {
    assertEquals(Reason.ISSUER, refused(K1.sign(claims().put("iss", "https://evil.example"))));
  }

  @Test
  void missingSubjectIsRefused() {
    assertEquals(Reason.MISSING_CLAIM, refused(K1.sign(claims().without("sub"))));
  }

  @Test
  void garbageIsRefused() {
    assertEquals(Reason.MALFORMED, refused("not-a-token"));
    assertEquals(Reason.MALFORMED, refused("a.b.c"));
    assertEquals(Reason.MISSING, refused(""));
    assertEquals(Reason.MALFORMED, refused(TestTokens.b64("{\"alg\":\"ES256\",\"kid\":\"k1\"}") + ".e30."));
    assertEquals(Reason.MALFORMED, refused(K1.sign("{\"alg\":\"ES256\"}", claims().json())));
    assertEquals(Reason.MALFORMED, refused(K1.sign("{\"alg\":\"ES256\",\"kid\":\"k1\",\"crit\":[\"x\"]}", claims().json())));
    assertEquals(Reason.MALFORMED, refused(K1.sign(claims().put("exp", "tomorrow"))));
    assertEquals(Reason.MALFORMED, refused("x".repeat(9000)));
  }

  @Test
  void unknownKidRefetchesOncePerIntervalThenRefuses() {
    AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    JwksVerifier v = JwksVerifier.create(vertx, JwtSettings.of(jwks.url(), ISS, AUD)
        .withRefetchMinInterval(Duration.ofSeconds(10)), clock::get);
    await(v.verify(K1.sign(claims())));
    assertEquals(1, jwks.hits.get());
    assertEquals(Reason.UNKNOWN_KEY, ((InvalidTokenException) failure(v, K2.sign(claims()))).reason());
    assertEquals(1, jwks.hits.get(), "no refetch within the interval");
    clock.addAndGet(10_001);
    assertEquals(Reason.UNKNOWN_KEY, ((InvalidTokenException) failure(v, K2.sign(claims()))).reason());
    assertEquals(2, jwks.hits.get(), "an unknown kid triggers one refetch once the interval has passed");
    assertEquals(Reason.UNKNOWN_KEY, ((InvalidTokenException) failure(v, K2.sign(claims()))).reason());
    assertEquals(2, jwks.hits.get());
  }

  @Test
  void randomKidsCannotHammerTheJwksEndpoint() {
    await(verifier.verify(K1.sign(claims())));
    for (int i = 0; i < 50; i++) {
      SigningKey random = TestTokens.es256(UUID.randomUUID().toString());
      assertEquals(Reason.UNKNOWN_KEY, refused(random.sign(claims())));
    }
    assertEquals(1, jwks.hits.get());
  }

  @Test
  void concurrentFirstUsesShareOneFetch() {
    Future<?>[] all = new Future<?>[20];
    for (int i = 0; i < all.length; i++) {
      all[i] = verifier.verify(K1.sign(claims()));
    }
    await(Future.all(java.util.List.of(all)));
    assertEquals(1, jwks.hits.get());
  }

  @Test
  void rotatedKeyIsAcceptedAfterARefetch() {
    JwksVerifier v = verifier(Duration.ZERO);
    await(v.verify(K1.sign(claims())));
    jwks.document.set(TestTokens.jwks(K1, K2));
    String sub = UUID.randomUUID().toString();
    assertEquals(sub, await(v.verify(K2.sign(TestTokens.claims(ISS, AUD, sub)))).userId());
    assertEquals(2, jwks.hits.get());
    // and a key the JWKS no longer lists is gone after the next refetch
    jwks.document.set(TestTokens.jwks(K2));
    failure(v, TestTokens.es256("k3").sign(claims()));
    Throwable t = failure(v, K1.sign(claims()));
    assertEquals(Reason.UNKNOWN_KEY, ((InvalidTokenException) t).reason());
  }

  @Test
  void emptyKeySetIsRefusedAndNeverAcceptsUnsignedTokens() {
    jwks.document.set("{\"keys\":[]}");
    assertInstanceOf(KeysUnavailableException.class, failure(verifier, K1.sign(claims())));
    assertInstanceOf(InvalidTokenException.class,
        failure(verifier, TestTokens.unsigned("{\"alg\":\"none\",\"kid\":\"k1\"}", claims().json())));
    assertInstanceOf(KeysUnavailableException.class, failure(verifier(Duration.ZERO), K1.sign(claims())));
  }

  @Test
  void keyOffTheCurveIsDropped() {
    JsonObject good = new JsonObject(K1.jwk());
    byte[] y = Base64.getUrlDecoder().decode(good.getString("y"));
    y[31] ^= 1;
    JsonObject offCurve = good.copy().put("y", Base64.getUrlEncoder().withoutPadding().encodeToString(y));
    JsonObject shortCoordinates = good.copy().put("kid", "k9").put("x", "AAAA").put("y", "AAAA");
    jwks.document.set(new JsonObject().put("keys", new JsonArray().add(offCurve).add(shortCoordinates)
        .add(new JsonObject(K2.jwk()))).encode());
    JwksVerifier v = verifier(Duration.ZERO);
    assertEquals(1, await(v.refresh()));
    assertInstanceOf(InvalidTokenException.class, failure(v, K1.sign(claims())));
    await(v.verify(K2.sign(claims())));
  }

  @Test
  void nonEs256KeysAreIgnored() {
    jwks.document.set("{\"keys\":[{\"kty\":\"oct\",\"alg\":\"HS256\",\"kid\":\"k1\",\"k\":\"c2VjcmV0\"}]}");
    assertInstanceOf(KeysUnavailableException.class, failure(verifier, K1.sign(claims())));
    String hs = TestTokens.hs256("secret".getBytes(StandardCharsets.UTF_8),
        "{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims().json());
    assertInstanceOf(InvalidTokenException.class, failure(verifier, hs));
  }

  @Test
  void unreachableJwksGivesKeysUnavailable() {
    JwksVerifier v = JwksVerifier.create(vertx, JwtSettings.of("http://127.0.0.1:1/.well-known/jwks.json", ISS, AUD));
    long t0 = System.nanoTime();
    assertInstanceOf(KeysUnavailableException.class, failure(v, K1.sign(claims())));
    assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
  }

  @Test
  void bearerTokenIsTakenFromTheAuthorizationValue() {
    assertEquals("abc", JwksVerifier.bearerToken("Bearer abc"));
    assertEquals("abc", JwksVerifier.bearerToken("bearer  abc "));
    assertEquals(null, JwksVerifier.bearerToken("Basic abc"));
    assertEquals(null, JwksVerifier.bearerToken("Bearer "));
    assertEquals(null, JwksVerifier.bearerToken(null));
  }
}
