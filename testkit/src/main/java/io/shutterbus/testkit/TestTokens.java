package io.shutterbus.testkit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Real ES256 keys and hand-made JWTs for tests, with nothing but the JDK: valid tokens, and the
 * forged ones a verifier must refuse (alg none, HS256 keyed with the public key, tampered parts,
 * missing claims). JSON is written by hand so a test controls every byte of header and payload.
 */
public final class TestTokens {
  private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {
  }

  /** A P-256 key pair with its key id. */
  public record SigningKey(String kid, KeyPair pair) {
    /** The public JWK, as the auth service publishes it. */
    public String jwk() {
      ECPublicKey pub = (ECPublicKey) pair.getPublic();
      return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"use\":\"sig\",\"kid\":\"" + kid
          + "\",\"x\":\"" + unsigned32(pub.getW().getAffineX()) + "\",\"y\":\"" + unsigned32(pub.getW().getAffineY())
          + "\"}";
    }

    /** A token over this key with the default ES256 header. */
    public String sign(Claims claims) {
      return sign("{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}", claims.json());
    }

    /** Signs exactly this header and payload JSON with ES256 (R||S, 64 bytes). */
    public String sign(String headerJson, String payloadJson) {
      String input = b64(headerJson) + "." + b64(payloadJson);
      try {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64U.encodeToString(s.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The DER (X.509 SubjectPublicKeyInfo) bytes of the public key. */
    public byte[] publicKeyDer() {
      return pair.getPublic().getEncoded();
    }

    /** The public key as PEM text, as an attacker would use it for an HS256 secret. */
    public String publicKeyPem() {
      return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(publicKeyDer())
          + "\n-----END PUBLIC KEY-----\n";
    }
  }

  public static SigningKey es256(String kid) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return new SigningKey(kid, g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWKS document holding these keys' public JWKs. */
  public static String jwks(SigningKey... keys) {
    StringBuilder sb = new StringBuilder("{\"keys\":[");
    for (int i = 0; i < keys.length; i++) {
      sb.append(i == 0 ? "" : ",").append(keys[i].jwk());
    }
    return sb.append("]}").toString();
  }

  /** {@code header.payload.} with an empty signature, as {@code alg: none} tokens are. */
  public static String unsigned(String headerJson, String payloadJson) {
    return b64(headerJson) + "." + b64(payloadJson) + ".";
  }

  /** An HS256 token keyed with {@code secret}: the algorithm-confusion attack when the secret is a public key. */
  public static String hs256(byte[] secret, String headerJson, String payloadJson) {
    String input = b64(headerJson) + "." + b64(payloadJson);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + B64U.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String b64(String json) {
    return B64U.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces the payload of a signed token, keeping its header and signature. */
  public static String withPayload(String token, String payloadJson) {
    String[] p = token.split("\\.", -1);
    return p[0] + "." + b64(payloadJson) + "." + p[2];
  }

  /** Flips one bit in the signature of a signed token. */
  public static String withTamperedSignature(String token) {
    String[] p = token.split("\\.", -1);
    byte[] sig = Base64.getUrlDecoder().decode(p[2]);
    sig[sig.length / 2] ^= 0x01;
    return p[0] + "." + p[1] + "." + B64U.encodeToString(sig);
  }

  /** Access-token claims, starting from a valid 15-minute token; set a value to null to drop the claim. */
  public static Claims claims(String issuer, String audience, String subject) {
    long now = Instant.now().getEpochSecond();
    return new Claims().put("iss", issuer).put("aud", audience).put("sub", subject)
        .put("roles", java.util.List.of("user")).put("iat", now).put("exp", now + 900);
  }

  /** An ordered claim set rendered as JSON (strings, numbers, booleans, collections of strings). */
  public static final class Claims {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Claims put(String name, Object value) {
      if (value == null) {
        values.remove(name);
      } else {
        values.put(name, value);
      }
      return this;
    }

    public Claims without(String name) {
      return put(name, null);
    }

    public String json() {
      return values.entrySet().stream()
          .map(e -> quote(e.getKey()) + ":" + render(e.getValue()))
          .collect(Collectors.joining(",", "{", "}"));
    }

    private static String render(Object v) {
      if (v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      if (v instanceof Collection<?> c) {
        return c.stream().map(x -> quote(String.valueOf(x))).collect(Collectors.joining(",", "[", "]"));
      }
      return quote(String.valueOf(v));
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  private static String unsigned32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    System.arraycopy(b, Math.max(0, b.length - 32), out, Math.max(0, 32 - b.length), Math.min(32, b.length));
    return B64U.encodeToString(out);
  }
}
