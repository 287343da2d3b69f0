package io.shutterbus.kit.auth;

import io.shutterbus.kit.auth.InvalidTokenException.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Set;

/**
 * The checks made on a token before any key is looked up: compact JWS form with three non-empty
 * parts, {@code alg} exactly ES256 (so {@code none} and HS256 signed with the public key never
 * reach a verifier), a key id, and no {@code crit} extensions we would have to understand.
 */
record TokenHeader(String kid) {
  static final int MAX_TOKEN_LENGTH = 8192;
  static final String ALGORITHM = "ES256";
  private static final Set<String> TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

  static TokenHeader parse(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException(Reason.MISSING, "no token");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException(Reason.MALFORMED, "token longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    String[] parts = token.split("\\.", -1);
    JsonObject header = decodeJson(parts[0], "header");
    Object alg = header.getValue("alg");
    if (!ALGORITHM.equals(alg)) {
      throw new InvalidTokenException(Reason.ALGORITHM, "algorithm " + printable(alg) + " is not allowed");
    }
    if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new InvalidTokenException(Reason.MALFORMED, "not a signed compact JWS");
    }
    if (header.containsKey("crit")) {
      throw new InvalidTokenException(Reason.MALFORMED, "critical header extensions are not supported");
    }
    Object typ = header.getValue("typ");
    if (typ != null && !(typ instanceof String t && TYPES.contains(t.toLowerCase()))) {
      throw new InvalidTokenException(Reason.MALFORMED, "token type " + printable(typ) + " is not an access token");
    }
    Object kid = header.getValue("kid");
    if (!(kid instanceof String k) || k.isBlank() || k.length() > 256) {
      throw new InvalidTokenException(Reason.MALFORMED, "no key id");
    }
    return new TokenHeader(k);
  }

  static JsonObject decodeJson(String segment, String what) {
    try {
      return new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(segment)));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "the " + what + " is not base64url JSON");
    }
  }

  private static String printable(Object value) {
    String s = String.valueOf(value);
    return s.length() > 20 ? s.substring(0, 20) + "..." : s;
  }
}
