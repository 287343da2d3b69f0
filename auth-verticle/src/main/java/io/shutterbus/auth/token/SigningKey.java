package io.shutterbus.auth.token;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;

/**
 * The ES256 (P-256) key pair that signs access tokens, with the id that names it in tokens and the JWKS.
 * A key that is only published (the next or previous one during a rotation) has no private half.
 */
public record SigningKey(String keyId, ECPrivateKey privateKey, ECPublicKey publicKey) {

  /** The public half as a JWK, as served in the JWKS. */
  public JsonObject jwk() {
    return new JsonObject().put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig")
        .put("kid", keyId).put("x", coordinate(publicKey.getW().getAffineX()))
        .put("y", coordinate(publicKey.getW().getAffineY()));
  }

  public String privatePem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  public String publicPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /** The RFC 7638 JWK thumbprint: a key id derived from the key itself, stable across restarts. */
  public static String thumbprint(ECPublicKey key) {
    String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX())
        + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Unsigned big-endian, exactly 32 bytes for P-256, base64url without padding. */
  private static String coordinate(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(32, b.length);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + "]";
  }
}
