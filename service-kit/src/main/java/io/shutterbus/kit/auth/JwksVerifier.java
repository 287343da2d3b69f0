package io.shutterbus.kit.auth;

import io.shutterbus.kit.auth.InvalidTokenException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies ES256 access tokens against the auth service's JWKS.
 *
 * <p>The key set is fetched over HTTP on first use and cached; a token whose key id is not in the
 * cache triggers one refetch (at most one per {@link JwtSettings#refetchMinInterval()}, and
 * concurrent ones share a fetch), which is how a rotated key is picked up. Each key becomes a
 * {@link JWTAuth} holding exactly that key: a JWTAuth without keys would accept {@code alg: none},
 * so a key that does not load is dropped and an empty set is refused. Only ES256 is allowed, and
 * iss, aud, exp (required), nbf and iat are checked with a small leeway.
 *
 * <p>A token whose signature verified is remembered until its exp ({@link VerifiedTokenCache}), so
 * its next uses skip the ES256 verification; the claims are still checked on every use, the entry
 * only counts while the key that verified it is still the one the key set holds for its kid, and
 * every entry is dropped when a fetch brings different keys.
 *
 * <p>Create one per verticle instance (its futures complete on the creating context).
 */
public final class JwksVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(JwksVerifier.class);
  private static final int MAX_JWKS_BYTES = 256 * 1024;
  /** While no key is known at all, a fetch is retried at most this often. */
  private static final long EMPTY_RETRY_MS = 1000;

  private final Vertx vertx;
  private final WebClient client;
  private final JwtSettings settings;
  private final LongSupplier clockMillis;
  private volatile KeySet keys = KeySet.EMPTY;
  private Future<KeySet> inFlight;
  private long lastAttemptAt = Long.MIN_VALUE / 2;
  private long fetches;
  private final VerifiedTokenCache<Verified> verified;
  private final LongAdder signatureChecks = new LongAdder();

  /** The verifiers by kid and the JWK each was made from (to tell a changed key set from the same). */
  private record KeySet(Map<String, JWTAuth> byKid, Map<String, JsonObject> material, long fetchedAt) {
    static final KeySet EMPTY = new KeySet(Map.of(), Map.of(), Long.MIN_VALUE / 2);
  }

  /** A token that passed the signature check: by which key (identity), and its claims. */
  private record Verified(String kid, JWTAuth key, JsonObject claims) {
  }

  private JwksVerifier(Vertx vertx, JwtSettings settings, LongSupplier clockMillis) {
    this.vertx = vertx;
    this.settings = settings;
    this.clockMillis = clockMillis;
    this.verified = new VerifiedTokenCache<>(settings.verifiedCacheSize(), settings.leewaySeconds());
    int timeout = (int) settings.fetchTimeout().toMillis();
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout(timeout).setIdleTimeout(30).setKeepAlive(true)
        .setUserAgent("shutterbus-jwks"));
  }

  public static JwksVerifier create(Vertx vertx, JwtSettings settings) {
    return new JwksVerifier(vertx, settings, System::currentTimeMillis);
  }

  /** With a clock of its own, so tests can move time past the refetch interval. */
  static JwksVerifier create(Vertx vertx, JwtSettings settings, LongSupplier clockMillis) {
    return new JwksVerifier(vertx, settings, clockMillis);
  }

  /** Verifies the value of an {@code Authorization} header, which must use the Bearer scheme. */
  public Future<AuthPrincipal> verifyAuthorization(String authorization) {
    String token = bearerToken(authorization);
    if (token == null) {
      return Future.failedFuture(new InvalidTokenException(Reason.MISSING, "no Bearer token"));
    }
    return verify(token);
  }

  /**
   * Verifies a compact ES256 JWS. Fails with {@link InvalidTokenException} (answer 401) or, when no
   * key can be had from the JWKS at all, with {@link KeysUnavailableException} (answer 503).
   */
  public Future<AuthPrincipal> verify(String token) {
    Verified known = verified.get(token);
    if (known != null) {
      KeySet current = keys;
      if (current.byKid().get(known.kid()) == known.key()) {
        long now = clockMillis.getAsLong();
        refreshIfOld(current, now);
        try {
          return Future.succeededFuture(TokenClaims.check(known.claims(), settings, now / 1000));
        } catch (InvalidTokenException e) {
          return Future.failedFuture(e);
        }
      }
      verified.remove(token);  // its key left the key set (or was replaced): verify again, in full
    }
    TokenHeader header;
    try {
      header = TokenHeader.parse(token);
    } catch (InvalidTokenException e) {
      return Future.failedFuture(e);
    }
    return keyFor(header.kid()).compose(auth -> authenticate(header.kid(), auth, token));
  }

  /** Fetches the key set now (e.g. to warm the cache at start); fails when it holds no usable key. */
  public Future<Integer> refresh() {
    return fetch().map(set -> set.byKid().size());
  }

  /** How many JWKS fetches were started, for tests and metrics. */
  public synchronized long fetchCount() {
    return fetches;
  }

  /** How many tokens had their signature checked (cache misses), for tests and metrics. */
  public long signatureChecks() {
    return signatureChecks.sum();
  }

  /** How many verified tokens are remembered now. */
  public long cachedTokens() {
    return verified.size();
  }

  public void close() {
    client.close();
  }

  /** The token of a {@code Bearer} Authorization value, or null when there is none. */
  public static String bearerToken(String authorization) {
    if (authorization == null || authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private Future<JWTAuth> keyFor(String kid) {
    KeySet current = keys;
    JWTAuth auth = current.byKid().get(kid);
    long now = clockMillis.getAsLong();
    if (auth != null) {
      refreshIfOld(current, now);
      return Future.succeededFuture(auth);
    }
    if (!mayFetch(now, current.byKid().isEmpty())) {
      return Future.failedFuture(current.byKid().isEmpty()
          ? new KeysUnavailableException("no signing key known yet; the JWKS at " + settings.jwksUrl()
              + " could not be fetched a moment ago", null)
          : unknownKey());
    }
    return fetch().transform(ar -> {
      if (ar.succeeded()) {
        JWTAuth found = ar.result().byKid().get(kid);
        return found != null ? Future.succeededFuture(found) : Future.failedFuture(unknownKey());
      }
      return keys.byKid().isEmpty()
          ? Future.failedFuture(new KeysUnavailableException("the JWKS at " + settings.jwksUrl()
              + " could not be fetched: " + ar.cause().getMessage(), ar.cause()))
          : Future.failedFuture(unknownKey());
    });
  }

  private synchronized boolean mayFetch(long now, boolean empty) {
    if (inFlight != null) {
      return true;
    }
    long interval = empty ? Math.min(EMPTY_RETRY_MS, settings.refetchMinInterval().toMillis())
        : settings.refetchMinInterval().toMillis();
    return now - lastAttemptAt >= interval;
  }

  private void refreshIfOld(KeySet current, long now) {
    if (now - current.fetchedAt() > settings.maxAge().toMillis()) {
      refreshInBackground();
    }
  }

  private void refreshInBackground() {
    synchronized (this) {
      if (inFlight != null || clockMillis.getAsLong() - lastAttemptAt < settings.refetchMinInterval().toMillis()) {
        return;
      }
    }
    fetch();  // a failure is logged by fetch; the cached keys stay in use
  }

  private synchronized Future<KeySet> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
    lastAttemptAt = clockMillis.getAsLong();
    fetches++;
    long timeout = settings.fetchTimeout().toMillis();
    Future<KeySet> f = client.getAbs(settings.jwksUrl())
        .putHeader("accept", "application/json")
        .timeout(timeout)
        .send()
        .timeout(timeout + 500, TimeUnit.MILLISECONDS)
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture("the JWKS endpoint answered " + resp.statusCode());
          }
          if (resp.body() == null || resp.body().length() > MAX_JWKS_BYTES) {
            return Future.failedFuture("the JWKS body is empty or larger than " + MAX_JWKS_BYTES + " bytes");
          }
          JsonObject document = resp.bodyAsJsonObject();
          Map<String, JWTAuth> loaded = JwkKeys.load(vertx, document, settings);
          return Future.succeededFuture(new KeySet(loaded, material(document, loaded.keySet()),
              clockMillis.getAsLong()));
        })
        .andThen(ar -> {
          Set<String> before;
          synchronized (this) {
            inFlight = null;
            before = keys.byKid().keySet();
            if (ar.succeeded()) {
              KeySet fresh = ar.result();
              if (fresh.material().equals(keys.material())) {
                // the same keys: keep their verifiers, and with them the tokens they verified
                keys = new KeySet(keys.byKid(), keys.material(), fresh.fetchedAt());
              } else {
                keys = fresh;
                verified.clear();
              }
            }
          }
          if (ar.succeeded() && !before.equals(ar.result().byKid().keySet())) {
            LOG.info("signing keys from {}: {}", settings.jwksUrl(), ar.result().byKid().keySet());
          } else if (ar.failed()) {
            // at most one line per fetch attempt, and attempts are rate limited
            LOG.warn("JWKS fetch from {} failed: {}", settings.jwksUrl(), ar.cause().getMessage());
          }
        });
    inFlight = f;
    return f;
  }

  private static Map<String, JsonObject> material(JsonObject document, Set<String> kids) {
    Map<String, JsonObject> byKid = new HashMap<>();
    for (Object entry : document.getJsonArray("keys")) {
      if (entry instanceof JsonObject jwk && kids.contains(jwk.getValue("kid"))) {
        byKid.put(jwk.getString("kid"), jwk);
      }
    }
    return Map.copyOf(byKid);
  }

  private Future<AuthPrincipal> authenticate(String kid, JWTAuth auth, String token) {
    signatureChecks.increment();
    Future<User> checked;
    try {
      checked = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked.transform(ar -> {
      try {
        if (ar.failed()) {
          throw classify(ar.cause(), token);
        }
        JsonObject claims = ar.result().attributes().getJsonObject("accessToken");
        AuthPrincipal principal = TokenClaims.check(claims, settings, clockMillis.getAsLong() / 1000);
        verified.put(token, new Verified(kid, auth, claims.copy()), principal.expiresAt().getEpochSecond());
        return Future.succeededFuture(principal);
      } catch (InvalidTokenException e) {
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        return Future.failedFuture(new InvalidTokenException(Reason.MALFORMED, "unreadable claims"));
      }
    });
  }

  /**
   * vertx-auth-jwt checks the signature first and the claims after, failing with bare messages;
   * once the signature has passed, our own claim checks name the precise reason.
   */
  private InvalidTokenException classify(Throwable cause, String token) {
    if (cause instanceof InvalidTokenException e) {
      return e;
    }
    String name = cause.getClass().getSimpleName();
    if (name.contains("Signature") || name.contains("NoSuchKeyId")) {
      return new InvalidTokenException(Reason.SIGNATURE, "signature does not verify");
    }
    if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
      return new InvalidTokenException(Reason.MALFORMED, "not a valid JWS");
    }
    try {
      TokenClaims.check(TokenHeader.decodeJson(token.split("\\.", -1)[1], "payload"), settings,
          clockMillis.getAsLong() / 1000);
    } catch (InvalidTokenException e) {
      return e;
    } catch (RuntimeException e) {
      return new InvalidTokenException(Reason.MALFORMED, "unreadable claims");
    }
    return new InvalidTokenException(Reason.MALFORMED, "token rejected");
  }

  private static InvalidTokenException unknownKey() {
    return new InvalidTokenException(Reason.UNKNOWN_KEY, "unknown key id");
  }
}
