package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.login;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shutterbus.auth.token.SigningKey;
import io.shutterbus.events.Topics;
import io.shutterbus.kit.auth.JwksVerifier;
import io.shutterbus.kit.auth.JwtSettings;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JWT key rotation of manifests/README.md with the real auth service: phase 1 publishes the
 * next key beside the signing one, phase 2 signs with it and still publishes the previous one, and
 * while pods of both phases run side by side (a rolling update) a verifier that fetched the JWKS
 * from either accepts the tokens of both. Phase 3 drops the previous key: its tokens are refused.
 */
@ExtendWith(InfraExtension.class)
class KeyRotationIT {
  private static Infra infra;

  @BeforeAll
  static void topics(Infra given) {
    infra = given;
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
  }

  @Test
  void bothKidsArePublishedDuringTheOverlapAndThePreviousOneGoesAfterIt(@TempDir Path dir) throws Exception {
    Path oldKey = privatePem(dir, "old.pem");
    Path newKey = privatePem(dir, "new.pem");
    Path oldPublic = dir.resolve("old-public.pem");
    Files.writeString(oldPublic, publicPemOf(oldKey));

    // phase 1 (a pod of the old ReplicaSet after --stage-jwt): signs with old, publishes new too
    try (AuthApp phase1 = start(oldKey, "kid-old", newKey, "kid-new");
         AuthApp phase2 = start(newKey, "kid-new", oldPublic, "kid-old")) {
      assertEquals(List.of("kid-old", "kid-new"), kids(phase1));
      assertEquals(List.of("kid-new", "kid-old"), kids(phase2));
      String byOld = token(phase1, "rot-a");
      String byNew = token(phase2, "rot-b");
      assertEquals("kid-old", kid(byOld));
      assertEquals("kid-new", kid(byNew));
      for (AuthApp jwksFrom : List.of(phase1, phase2)) {
        JwksVerifier verifier = verifier(jwksFrom);
        try {
          Http.await(verifier.verify(byOld));
          Http.await(verifier.verify(byNew));
        } finally {
          verifier.close();
        }
      }

      // phase 3 (after the access-token lifetime): the previous key is no longer published
      try (AuthApp phase3 = start(newKey, "kid-new", null, "")) {
        assertEquals(List.of("kid-new"), kids(phase3));
        JwksVerifier verifier = verifier(phase3);
        try {
          Http.await(verifier.verify(byNew));
          assertThrows(Exception.class, () -> Http.await(verifier.verify(byOld)), "a token of a retired key");
        } finally {
          verifier.close();
        }
      }
    }
  }

  private static AuthApp start(Path key, String kid, Path extra, String extraKid) throws Exception {
    Map<String, String> env = new HashMap<>(infra.env());
    env.put("SHUTTERBUS_MODE", "external");
    env.put("AUTH_JWT_PRIVATE_KEY_FILE", key.toString());
    env.put("AUTH_JWT_KEY_ID", kid);
    env.put("AUTH_JWT_EXTRA_KEY_ID", extraKid);  // blank in phase 3, as the empty Secret key gives it
    env.put("AUTH_JWT_EXTRA_KEY_FILE", extra == null ? "/nonexistent" : extra.toString());
    return AuthApp.start(env);
  }

  private static List<String> kids(AuthApp app) throws Exception {
    try (Http http = new Http(app.port)) {
      return http.get("/.well-known/jwks.json", Map.of()).bodyAsJsonObject().getJsonArray("keys").stream()
          .map(k -> ((JsonObject) k).getString("kid")).toList();
    }
  }

  private static String token(AuthApp app, String prefix) throws Exception {
    try (Http http = new Http(app.port)) {
      String email = uniqueEmail(prefix);
      registered(http, email);
      return login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
    }
  }

  private static JwksVerifier verifier(AuthApp app) {
    return JwksVerifier.create(app.vertx, JwtSettings.of("http://127.0.0.1:" + app.port + JwtSettings.JWKS_PATH,
        "shutterbus", "shutterbus-api"));
  }

  private static String kid(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8))
        .getString("kid");
  }

  private static Path privatePem(Path dir, String name) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Path file = dir.resolve(name);
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return file;
  }

  private static String publicPemOf(Path privatePem) throws Exception {
    // what `openssl pkey -pubout` writes
    io.shutterbus.auth.token.KeySettings settings =
        new io.shutterbus.auth.token.KeySettings(privatePem, "x", null);
    SigningKey key = io.shutterbus.auth.token.SigningKeys.load(settings);
    return key.publicPem();
  }
}
