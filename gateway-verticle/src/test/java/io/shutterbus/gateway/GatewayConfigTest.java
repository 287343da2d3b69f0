package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  private static GatewayConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    env.putAll(extra);
    return GatewayConfig.fromEnv(Env.of(env));
  }

  @Test
  void defaultsMatchTheSharedContract() {
    GatewayConfig c = config(Map.of());
    assertEquals("127.0.0.1", c.auth().host());
    assertEquals(8081, c.auth().port());
    assertEquals(8082, c.image().port());
    assertEquals(8083, c.portal().port());
    assertEquals("http://127.0.0.1:8081/.well-known/jwks.json", c.jwt().jwksUrl());
    assertEquals("shutterbus", c.jwt().issuer());
    assertEquals("shutterbus-api", c.jwt().audience());
    assertEquals(20L * 1024 * 1024 + 64 * 1024, c.uploadLimitBytes());
    assertFalse(c.tls());
    assertEquals(8080, c.http().port());
    assertEquals(9080, c.http().managementPort());
  }

  @Test
  void jwksFollowsAuthUrlUnlessSet() {
    assertEquals("http://auth:8081/.well-known/jwks.json",
        config(Map.of("AUTH_URL", "http://auth:8081/")).jwt().jwksUrl());
    assertEquals("http://keys/jwks", config(Map.of("AUTH_URL", "http://auth:8081",
        "AUTH_JWKS_URL", "http://keys/jwks")).jwt().jwksUrl());
  }

  @Test
  void uploadLimitFollowsTheImageServiceSetting() {
    assertEquals(1000 + 64 * 1024, config(Map.of("IMAGE_MAX_UPLOAD_BYTES", "1000")).uploadLimitBytes());
  }

  @Test
  void badValuesNameTheirVariable() {
    for (var bad : Map.of("AUTH_URL", "ftp://auth", "IMAGE_URL", "http://image:8082/api", "PORTAL_URL", "portal",
        "GATEWAY_TLS", "maybe", "GATEWAY_UPSTREAM_TIMEOUT_MS", "soon", "AUTH_JWKS_URL", "nope").entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
    }
  }
}
