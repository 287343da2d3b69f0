package io.shutterbus.auth.token;

import io.shutterbus.kit.auth.JwtSettings;
import io.shutterbus.kit.auth.VerifiedTokenCache;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Issues ES256 access tokens (header kid; claims iss, aud, sub, roles, iat, exp) and verifies them
 * with the public key only, as any other service would from the JWKS: ES256 is the only algorithm
 * a key exists for, iss and aud must match, and a token without exp is refused (Vert.x would accept it).
 * A token that verified is remembered until its exp ({@link VerifiedTokenCache}): /api/me does not
 * pay the ES256 verification again for the same token; exp and nbf are still checked on every use.
 * The key never changes while the service runs, so nothing else can make an entry stale.
 */
public final class AccessTokens {
  private static final int LEEWAY_SECONDS = 5;
  private final JWTAuth signer;
  private final JWTAuth verifier;
  private final String issuer;
  private final String audience;
  private final Duration ttl;
  private final VerifiedTokenCache<Verified> verified =
      new VerifiedTokenCache<>(JwtSettings.DEFAULT_VERIFIED_CACHE_SIZE, LEEWAY_SECONDS);

  private record Verified(Caller caller, long exp, long nbf) {
  }

  public AccessTokens(Vertx vertx, SigningKey key, String issuer, String audience, Duration ttl) {
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(key.keyId()).setBuffer(key.privatePem()))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(key.keyId()).setBuffer(key.publicPem())));
    this.verifier = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(key.jwk()).setJWTOptions(new JWTOptions()
        .setIssuer(issuer).setAudience(List.of(audience)).setLeeway(LEEWAY_SECONDS)));
    this.issuer = issuer;
    this.audience = audience;
    this.ttl = ttl;
  }

  public String issue(UUID userId, List<String> roles) {
    return signer.generateToken(new JsonObject().put("roles", new JsonArray(roles)), new JWTOptions()
        .setAlgorithm("ES256").setIssuer(issuer).setAudience(List.of(audience)).setSubject(userId.toString())
        .setExpiresInSeconds((int) ttl.toSeconds()));
  }

  public int expiresInSeconds() {
    return (int) ttl.toSeconds();
  }

  /** Who a valid token speaks for; a 401 problem for anything else. */
  public Future<Caller> verify(String token) {
    Verified known = verified.get(token);
    if (known != null) {
      long now = System.currentTimeMillis() / 1000;
      return now - LEEWAY_SECONDS < known.exp() && known.nbf() <= now + LEEWAY_SECONDS
          ? Future.succeededFuture(known.caller()) : Future.failedFuture(invalid());
    }
    return verifier.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(invalid()))
        .compose(user -> {
          if (!(user.attributes().getValue("exp") instanceof Number exp)) {
            return Future.failedFuture(invalid());
          }
          try {
            UUID id = UUID.fromString(user.principal().getString("sub", ""));
            Caller caller = new Caller(id, roles(user.principal().getValue("roles")));
            Object nbf = user.principal().getValue("nbf");
            verified.put(token, new Verified(caller, exp.longValue(),
                nbf instanceof Number n ? n.longValue() : Long.MIN_VALUE), exp.longValue());
            return Future.succeededFuture(caller);
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(invalid());
          }
        });
  }

  /** The token's subject and the roles it was issued with: what every service enforces for it. */
  public record Caller(UUID userId, List<String> roles) {
  }

  private static List<String> roles(Object claim) {
    if (!(claim instanceof JsonArray array)) {
      return List.of();
    }
    return array.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

  private static ProblemException invalid() {
    return ProblemException.unauthorized("The access token is missing, malformed, expired or not ours.");
  }
}
