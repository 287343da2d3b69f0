package io.shutterbus.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth service's own token checks, with the verified-token cache in front of them. */
class AccessTokensTest {
  private static Vertx vertx;
  private static AccessTokens tokens;

  @BeforeAll
  static void start(@TempDir Path data) {
    vertx = Vertx.vertx();
    SigningKey key = SigningKeys.load(KeySettings.fromEnv(Env.of(Map.of("SHUTTERBUS_MODE", "embedded",
        "SHUTTERBUS_DATA_DIR", data.toString()))));
    tokens = new AccessTokens(vertx, key, "shutterbus", "shutterbus-api", Duration.ofMinutes(15));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static boolean refused(String token) {
    Future<AccessTokens.Caller> f = tokens.verify(token);
    try {
      f.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // read below
    }
    return f.failed();
  }

  @Test
  void aVerifiedTokenAnswersTheSameWhenUsedAgain() throws Exception {
    UUID user = UUID.randomUUID();
    String token = tokens.issue(user, List.of("user", "admin"));
    for (int i = 0; i < 3; i++) {
      AccessTokens.Caller caller = tokens.verify(token).await(5, TimeUnit.SECONDS);
      assertEquals(user, caller.userId());
      assertEquals(List.of("user", "admin"), caller.roles());
    }
  }

  @Test
  void aTamperedCopyOfACachedTokenIsRefused() throws Exception {
    UUID user = UUID.randomUUID();
    String token = tokens.issue(user, List.of("user"));
    tokens.verify(token).await(5, TimeUnit.SECONDS);
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("[\"user\"]", "[\"user\",\"admin\"]");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
        + "." + parts[2];
    assertTrue(payload.contains("admin"));
    assertTrue(refused(forged));
    char last = parts[2].charAt(parts[2].length() - 2);
    String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
        + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
    assertTrue(refused(badSignature));
    assertEquals(user, tokens.verify(token).await(5, TimeUnit.SECONDS).userId());
  }
}
