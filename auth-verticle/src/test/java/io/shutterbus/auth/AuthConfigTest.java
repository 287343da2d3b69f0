package io.shutterbus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
  private static final Map<String, String> BASE = Map.of("PG_HOST", "db", "PG_PASSWORD", "x",
      "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "SHUTTERBUS_MODE", "embedded");

  @Test
  void defaultsFollowTheDesign() {
    AuthConfig c = AuthConfig.fromEnv(Env.of(BASE));
    assertEquals(8081, c.http().port());
    assertEquals(9081, c.http().managementPort());
    assertEquals("shutterbus", c.issuer());
    assertEquals("shutterbus-api", c.audience());
    assertEquals(Duration.ofMinutes(15), c.accessTokenTtl());
    assertFalse(c.cookieSecure());
  }

  @Test
  void theRetiredAdminEmailListStopsTheServicePointingAtBinAdmin() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.fromEnv(
        Env.of(BASE).with(Map.of("SHUTTERBUS_ADMIN_EMAILS", "root@example.com"))));
    assertTrue(e.getMessage().contains("SHUTTERBUS_ADMIN_EMAILS") && e.getMessage().contains("bin/admin grant"),
        e.getMessage());
  }

  @Test
  void externalModeWithoutAKeyFailsAtStartNamingTheVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AuthConfig.fromEnv(Env.of(BASE).with(Map.of("SHUTTERBUS_MODE", "external"))));
    assertTrue(e.getMessage().contains("AUTH_JWT_PRIVATE_KEY_FILE"), e.getMessage());
  }

  @Test
  void theCookieIsSecureWhenAskedTo() {
    assertTrue(AuthConfig.fromEnv(Env.of(BASE).with(Map.of("AUTH_COOKIE_SECURE", "true"))).cookieSecure());
  }

  @Test
  void theCookieIsSecureWheneverTheGatewayRunsOnTls() {
    assertTrue(AuthConfig.fromEnv(Env.of(BASE).with(Map.of("GATEWAY_TLS", "true"))).cookieSecure());
    assertTrue(AuthConfig.fromEnv(Env.of(BASE).with(Map.of("GATEWAY_TLS", "true", "AUTH_COOKIE_SECURE", "true")))
        .cookieSecure());
  }

  @Test
  void anInsecureCookieUnderTlsStopsTheServiceNamingBothVariables() {
    ConfigException e = assertThrows(ConfigException.class, () -> AuthConfig.fromEnv(Env.of(BASE)
        .with(Map.of("GATEWAY_TLS", "true", "AUTH_COOKIE_SECURE", "false"))));
    assertTrue(e.getMessage().contains("AUTH_COOKIE_SECURE") && e.getMessage().contains("GATEWAY_TLS"), e.getMessage());
  }
}
