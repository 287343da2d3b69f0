package io.shutterbus.kit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.auth.InvalidTokenException.Reason;
import io.shutterbus.testkit.TestTokens;
import io.shutterbus.testkit.TestTokens.SigningKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache against a real JWKS over HTTP: a token's signature is checked once,
 * and the cache never lets through what a full verification would refuse.
 */
class VerifiedTokenCacheIT {
  private static final String ISS = "shutterbus";
  private static final String AUD = "shutterbus-api";
  private static final SigningKey K1 = TestTokens.es256("k1");
  private static final SigningKey K2 = TestTokens.es256("k2");
  private static Vertx vertx;
  private JwksServer jwks;
  private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());

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
  }

  private JwksVerifier verifier(JwtSettings settings) {
    return JwksVerifier.create(vertx, settings, clock::get);
  }

  private JwtSettings settings() {
    return JwtSettings.of(jwks.url(), ISS, AUD).withRefetchMinInterval(Duration.ofHours(1));
  }

  private static TestTokens.Claims claims() {
    return TestTokens.claims(ISS, AUD, UUID.randomUUID().toString());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(5, TimeUnit.SECONDS);
  }

  private static Reason refused(JwksVerifier v, String token) {
    Future<AuthPrincipal> f = v.verify(token);
    try {
      f.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // read from the future below
    }
    assertTrue(f.failed(), "token must be refused");
    return assertInstanceOf(InvalidTokenException.class, f.cause(), f.cause().toString()).reason();
  }

  @Test
  void aTokenIsVerifiedOnceThenServedFromTheCache() throws Exception {
    JwksVerifier v = verifier(settings());
    String sub = UUID.randomUUID().toString();
    String token = K1.sign(TestTokens.claims(ISS, AUD, sub));
    for (int i = 0; i < 5; i++) {
      assertEquals(sub, await(v.verify(token)).userId());
    }
    assertEquals(1, v.signatureChecks(), "one ES256 verification for five uses");
    assertEquals(1, v.cachedTokens());
  }

  @Test
  void aTamperedTokenNeverHitsTheCache() throws Exception {
    JwksVerifier v = verifier(settings());
    String token = K1.sign(claims());
    await(v.verify(token));
    String forgedPayload = TestTokens.withPayload(token, claims().put("roles", java.util.List.of("user", "admin")).json());
    String forgedSignature = TestTokens.withTamperedSignature(token);
    for (int i = 0; i < 3; i++) {
      assertEquals(Reason.SIGNATURE, refused(v, forgedPayload));
      assertEquals(Reason.SIGNATURE, refused(v, forgedSignature));
    }
    assertEquals(7, v.signatureChecks(), "every use of a forged token is verified in full");
    assertEquals(1, v.cachedTokens(), "and none of them is remembered");
  }

  @Test
  void anExpiredCachedTokenIsRefused() throws Exception {
    JwksVerifier v = verifier(settings());
    long now = clock.get() / 1000;
    String token = K1.sign(claims().put("iat", now).put("exp", now + 60));
    await(v.verify(token));
    clock.addAndGet(TimeUnit.SECONDS.toMillis(60 + settings().leewaySeconds()));
    assertEquals(Reason.EXPIRED, refused(v, token));
    assertEquals(1, v.signatureChecks(), "refused by the claim check on the cached entry");
  }

  @Test
  void aKeyRemovedFromTheJwksStopsItsCachedTokens() throws Exception {
    JwksVerifier v = verifier(settings());
    String token = K1.sign(claims());
    await(v.verify(token));
    jwks.document.set(TestTokens.jwks(K2));
    assertEquals(1, await(v.refresh()));
    assertEquals(0, v.cachedTokens(), "a changed key set empties the cache");
    assertEquals(Reason.UNKNOWN_KEY, refused(v, token));
    await(v.verify(K2.sign(claims())));
  }

  @Test
  void aKeyReplacedUnderTheSameKidStopsItsCachedTokens() throws Exception {
    JwksVerifier v = verifier(settings());
    String token = K1.sign(claims());
    await(v.verify(token));
    SigningKey replacement = TestTokens.es256("k1");
    jwks.document.set(TestTokens.jwks(replacement));
    await(v.refresh());
    assertEquals(Reason.SIGNATURE, refused(v, token));
  }

  @Test
  void theKeyRefreshedInTheBackgroundWhileTokensComeFromTheCache() throws Exception {
    JwksVerifier v = verifier(settings().withMaxAge(Duration.ofMinutes(1)).withRefetchMinInterval(Duration.ZERO));
    String token = K1.sign(claims());
    await(v.verify(token));
    jwks.document.set(TestTokens.jwks(K2));
    clock.addAndGet(Duration.ofMinutes(2).toMillis());
    await(v.verify(token));  // still the old key set: served, and a refresh starts
    long deadline = System.currentTimeMillis() + 5000;
    while (v.cachedTokens() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(2, jwks.hits.get(), "an old key set is refetched even when every token is cached");
    assertEquals(Reason.UNKNOWN_KEY, refused(v, token));
  }

  @Test
  void theSameKeysRefetchedKeepTheCache() throws Exception {
    JwksVerifier v = verifier(settings());
    String token = K1.sign(claims());
    await(v.verify(token));
    await(v.refresh());
    await(v.verify(token));
    assertEquals(1, v.signatureChecks());
  }

  @Test
  void claimsAreCheckedOnEveryUseEvenWhenCached() throws Exception {
    JwksVerifier v = verifier(settings());
    long now = clock.get() / 1000;
    String token = K1.sign(claims().put("iat", now).put("nbf", now).put("exp", now + 600));
    await(v.verify(token));
    clock.addAndGet(-TimeUnit.SECONDS.toMillis(300));  // a clock stepped back: nbf is in the future again
    assertEquals(Reason.NOT_YET_VALID, refused(v, token));
  }

  @Test
  void theCacheIsBounded() throws Exception {
    JwksVerifier v = verifier(settings().withVerifiedCacheSize(5));
    for (int i = 0; i < 40; i++) {
      await(v.verify(K1.sign(claims())));
    }
    assertTrue(v.cachedTokens() <= 5, "held " + v.cachedTokens());
  }

  @Test
  void sizeZeroTurnsTheCacheOff() throws Exception {
    JwksVerifier v = verifier(settings().withVerifiedCacheSize(0));
    String token = K1.sign(claims());
    await(v.verify(token));
    await(v.verify(token));
    assertEquals(2, v.signatureChecks());
    assertEquals(0, v.cachedTokens());
  }
}
