package io.shutterbus.kit.auth;

import io.shutterbus.kit.auth.InvalidTokenException.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Claim checks on a payload whose signature is already verified. vertx-auth-jwt checks iss, aud
 * and exp too, but it accepts a token WITHOUT exp and does not look at types; these checks are the
 * ones we rely on.
 */
final class TokenClaims {
  private TokenClaims() {
  }

  static AuthPrincipal check(JsonObject claims, JwtSettings settings, long nowSeconds) {
    long leeway = settings.leewaySeconds();
    long exp = requiredTime(claims, "exp");
    if (nowSeconds - leeway >= exp) {
      throw new InvalidTokenException(Reason.EXPIRED, "token expired");
    }
    Long nbf = optionalTime(claims, "nbf");
    if (nbf != null && nbf > nowSeconds + leeway) {
      throw new InvalidTokenException(Reason.NOT_YET_VALID, "token not valid yet");
    }
    Long iat = optionalTime(claims, "iat");
    if (iat != null && iat > nowSeconds + leeway) {
      throw new InvalidTokenException(Reason.NOT_YET_VALID, "token issued in the future");
    }
    if (!settings.issuer().equals(claims.getValue("iss"))) {
      throw new InvalidTokenException(Reason.ISSUER, "wrong issuer");
    }
    if (!audienceMatches(claims.getValue("aud"), settings.audience())) {
      throw new InvalidTokenException(Reason.AUDIENCE, "wrong audience");
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String s) || s.isBlank() || s.length() > 256) {
      throw new InvalidTokenException(Reason.MISSING_CLAIM, "no subject");
    }
    return new AuthPrincipal(s, roles(claims.getValue("roles")), Instant.ofEpochSecond(exp));
  }

  private static long requiredTime(JsonObject claims, String name) {
    Long value = optionalTime(claims, name);
    if (value == null) {
      throw new InvalidTokenException(Reason.MISSING_CLAIM, "no " + name + " claim");
    }
    return value;
  }

  private static Long optionalTime(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw new InvalidTokenException(Reason.MALFORMED, name + " is not a number");
    }
    return n.longValue();
  }

  private static boolean audienceMatches(Object aud, String expected) {
    if (aud instanceof String s) {
      return s.equals(expected);
    }
    return aud instanceof JsonArray a && a.contains(expected);
  }

  private static Set<String> roles(Object value) {
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new InvalidTokenException(Reason.MALFORMED, "roles is not an array");
    }
    Set<String> roles = new HashSet<>();
    for (Object role : array) {
      if (!(role instanceof String r)) {
        throw new InvalidTokenException(Reason.MALFORMED, "roles holds a non-string");
      }
      roles.add(r);
    }
    return roles;
  }
}
