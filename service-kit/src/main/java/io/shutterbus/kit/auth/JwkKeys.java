package io.shutterbus.kit.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a JWKS document into one verifier per key id. Only EC P-256 public keys for ES256 signing
 * are taken, and only points on the curve. Each becomes a {@link JWTAuth} holding exactly that key;
 * one that does not load is dropped, since a JWTAuth left without keys accepts unsigned tokens.
 */
final class JwkKeys {
  private static final Logger LOG = LoggerFactory.getLogger(JwkKeys.class);
  private static final String UNSIGNED_PROBE = b64("{\"alg\":\"none\",\"kid\":\"probe\"}") + "."
      + b64("{\"sub\":\"probe\",\"exp\":4102444800}") + ".";

  private JwkKeys() {
  }

  /** The usable keys by kid; fails when there is none. */
  static Map<String, JWTAuth> load(Vertx vertx, JsonObject jwks, JwtSettings settings) {
    Object list = jwks == null ? null : jwks.getValue("keys");
    if (!(list instanceof JsonArray array)) {
      throw new IllegalStateException("the JWKS has no keys array");
    }
    Map<String, JWTAuth> byKid = new HashMap<>();
    for (Object entry : array) {
      if (!(entry instanceof JsonObject jwk) || !isEs256SigningKey(jwk)) {
        continue;
      }
      String kid = jwk.getString("kid");
      JWTAuth auth = verifier(vertx, jwk.copy().put("alg", TokenHeader.ALGORITHM), settings);
      if (auth != null) {
        byKid.put(kid, auth);
      } else {
        LOG.warn("JWKS key {} from {} does not load; ignored", kid, settings.jwksUrl());
      }
    }
    if (byKid.isEmpty()) {
      throw new IllegalStateException("the JWKS holds no usable ES256 signing key");
    }
    return Map.copyOf(byKid);
  }

  static boolean isEs256SigningKey(JsonObject jwk) {
    Object kid = jwk.getValue("kid");
    Object alg = jwk.getValue("alg");
    Object use = jwk.getValue("use");
    return kid instanceof String k && !k.isBlank()
        && "EC".equals(jwk.getValue("kty")) && "P-256".equals(jwk.getValue("crv"))
        && (alg == null || TokenHeader.ALGORITHM.equals(alg))
        && (use == null || "sig".equals(use))
        && jwk.getValue("x") instanceof String x && jwk.getValue("y") instanceof String y
        && !jwk.containsKey("d") && P256.isPoint(x, y);
  }

  /** A JWTAuth holding exactly this key with our iss/aud/leeway, or null (never a keyless one). */
  private static JWTAuth verifier(Vertx vertx, JsonObject jwk, JwtSettings settings) {
    JWTAuth auth;
    try {
      auth = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(jwk).setJWTOptions(new JWTOptions()
          .setIssuer(settings.issuer())
          .setAudience(List.of(settings.audience()))
          .setLeeway(settings.leewaySeconds())));
    } catch (RuntimeException e) {
      return null;
    }
    // vertx-auth-jwt logs and skips a JWK it cannot use, leaving a provider that accepts unsigned tokens.
    Future<User> probe = auth.authenticate(new TokenCredentials(UNSIGNED_PROBE));
    return probe.isComplete() && probe.failed() ? auth : null;
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
