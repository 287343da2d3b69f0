package io.shutterbus.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

  @Test
  void embeddedModeGeneratesAKeyOnceReadableByItsOwnerOnlyAndReusesIt(@TempDir Path data) throws Exception {
    KeySettings settings = KeySettings.fromEnv(Env.of(Map.of("SHUTTERBUS_MODE", "embedded",
        "SHUTTERBUS_DATA_DIR", data.toString())));
    SigningKey first = SigningKeys.load(settings);
    Path file = data.resolve("keys").resolve(SigningKeys.GENERATED_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    SigningKey again = SigningKeys.load(settings);
    assertEquals(first.keyId(), again.keyId());
    assertEquals(first.publicKey(), again.publicKey());
    assertEquals(SigningKey.thumbprint(first.publicKey()), first.keyId());
  }

  @Test
  void aKeyFileLeftReadableByOthersIsTightened(@TempDir Path data) throws Exception {
    KeySettings settings = new KeySettings(null, null, data.resolve("keys"));
    SigningKeys.load(settings);
    Path file = data.resolve("keys").resolve(SigningKeys.GENERATED_FILE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    SigningKeys.load(settings);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void externalModeNeedsTheKeyFileAndItsIdAndSaysWhich() {
    ConfigException noFile = assertThrows(ConfigException.class, () -> KeySettings.fromEnv(Env.of(Map.of())));
    assertTrue(noFile.getMessage().contains("AUTH_JWT_PRIVATE_KEY_FILE"), noFile.getMessage());
    ConfigException noId = assertThrows(ConfigException.class,
        () -> KeySettings.fromEnv(Env.of(Map.of("AUTH_JWT_PRIVATE_KEY_FILE", "/run/secrets/jwt.pem"))));
    assertTrue(noId.getMessage().contains("AUTH_JWT_KEY_ID"), noId.getMessage());
  }

  @Test
  void externalKeysAreReadFromPkcs8OrSec1PemAndTheirPublicHalfIsDerived(@TempDir Path dir) throws Exception {
    KeyPair pair = p256();
    Path pkcs8 = dir.resolve("k8.pem");
    Files.writeString(pkcs8, SigningKey.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    SigningKey a = SigningKeys.load(new KeySettings(pkcs8, "kid-1", null));
    assertEquals("kid-1", a.keyId());
    assertEquals(pair.getPublic(), a.publicKey());

    BigInteger d = ((ECPrivateKey) pair.getPrivate()).getS();
    byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, SECObjectIdentifiers.secp256r1).getEncoded();
    Path sec1File = dir.resolve("sec1.pem");
    Files.writeString(sec1File, "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(sec1)
        + "\n-----END EC PRIVATE KEY-----\n");
    assertEquals(pair.getPublic(), SigningKeys.load(new KeySettings(sec1File, "kid-2", null)).publicKey());
  }

  @Test
  void anUnreadableOrWrongKeyFileStopsTheStartNamingTheVariable(@TempDir Path dir) throws Exception {
    ConfigException missing = assertThrows(ConfigException.class,
        () -> SigningKeys.load(new KeySettings(dir.resolve("nope.pem"), "k", null)));
    assertTrue(missing.getMessage().startsWith("AUTH_JWT_PRIVATE_KEY_FILE"), missing.getMessage());

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Path rsaFile = dir.resolve("rsa.pem");
    Files.writeString(rsaFile, SigningKey.pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded()));
    ConfigException wrong = assertThrows(ConfigException.class,
        () -> SigningKeys.load(new KeySettings(rsaFile, "k", null)));
    assertTrue(wrong.getMessage().contains("AUTH_JWT_PRIVATE_KEY_FILE") && !wrong.getMessage().contains("MII"),
        wrong.getMessage());

    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    Path p384File = dir.resolve("p384.pem");
    Files.writeString(p384File, SigningKey.pem("PRIVATE KEY", p384.generateKeyPair().getPrivate().getEncoded()));
    assertThrows(ConfigException.class, () -> SigningKeys.load(new KeySettings(p384File, "k", null)));
  }

  @Test
  void anExtraKeyIsPublishedOnlyWhenItsIdIsSetAndIsNeverTheSigningKey(@TempDir Path dir) throws Exception {
    Path signingFile = dir.resolve("signing.pem");
    KeyPair signingPair = p256();
    Files.writeString(signingFile, SigningKey.pem("PRIVATE KEY", signingPair.getPrivate().getEncoded()));
    Map<String, String> base = Map.of("AUTH_JWT_PRIVATE_KEY_FILE", signingFile.toString(), "AUTH_JWT_KEY_ID", "k1");

    KeySettings none = KeySettings.fromEnv(Env.of(base).with(Map.of("AUTH_JWT_EXTRA_KEY_ID", " ",
        "AUTH_JWT_EXTRA_KEY_FILE", "/var/run/secrets/shutterbus/jwt/jwt-extra.pem")));
    SigningKey signing = SigningKeys.load(none);
    assertTrue(SigningKeys.extra(none, signing).isEmpty(), "a blank extra kid (the empty Secret key) means none");

    ConfigException noFile = assertThrows(ConfigException.class,
        () -> KeySettings.fromEnv(Env.of(base).with(Map.of("AUTH_JWT_EXTRA_KEY_ID", "k2"))));
    assertTrue(noFile.getMessage().contains("AUTH_JWT_EXTRA_KEY_FILE"), noFile.getMessage());
    ConfigException sameKid = assertThrows(ConfigException.class, () -> KeySettings.fromEnv(Env.of(base)
        .with(Map.of("AUTH_JWT_EXTRA_KEY_ID", "k1", "AUTH_JWT_EXTRA_KEY_FILE", signingFile.toString()))));
    assertTrue(sameKid.getMessage().contains("AUTH_JWT_EXTRA_KEY_ID"), sameKid.getMessage());
    ConfigException sameKey = assertThrows(ConfigException.class, () -> SigningKeys.extra(KeySettings.fromEnv(
        Env.of(base).with(Map.of("AUTH_JWT_EXTRA_KEY_ID", "k2", "AUTH_JWT_EXTRA_KEY_FILE", signingFile.toString()))),
        signing));
    assertTrue(sameKey.getMessage().contains("signing key itself"), sameKey.getMessage());

    KeyPair next = p256();
    Path privateFile = dir.resolve("next.pem");
    Files.writeString(privateFile, SigningKey.pem("PRIVATE KEY", next.getPrivate().getEncoded()));
    Path publicFile = dir.resolve("next-public.pem");
    Files.writeString(publicFile, SigningKey.pem("PUBLIC KEY", next.getPublic().getEncoded()));
    for (Path file : new Path[] {privateFile, publicFile}) {
      SigningKey extra = SigningKeys.extra(KeySettings.fromEnv(Env.of(base).with(Map.of(
          "AUTH_JWT_EXTRA_KEY_ID", "k2", "AUTH_JWT_EXTRA_KEY_FILE", file.toString()))), signing).orElseThrow();
      assertEquals("k2", extra.keyId());
      assertEquals(next.getPublic(), extra.publicKey());
      assertEquals(null, extra.privateKey(), "a published-only key never signs");
    }

    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a key");
    ConfigException bad = assertThrows(ConfigException.class, () -> SigningKeys.extra(KeySettings.fromEnv(
        Env.of(base).with(Map.of("AUTH_JWT_EXTRA_KEY_ID", "k2", "AUTH_JWT_EXTRA_KEY_FILE", garbage.toString()))),
        signing));
    assertTrue(bad.getMessage().startsWith("AUTH_JWT_EXTRA_KEY_FILE"), bad.getMessage());
  }

  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }
}
