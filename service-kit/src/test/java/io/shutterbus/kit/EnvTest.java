package io.shutterbus.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

  @Test
  void missingRequiredVariableIsNamed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PgSettings.fromEnv(Env.of(Map.of("PG_HOST", "db"))));
    assertEquals("missing required environment variable PG_PASSWORD", e.getMessage());
  }

  @Test
  void blankCountsAsMissing() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Env.of(Map.of("PG_HOST", "  ")).required("PG_HOST"));
    assertTrue(e.getMessage().contains("PG_HOST"));
  }

  @Test
  void badNumbersNameTheVariableAndValue() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Env.of(Map.of("GATEWAY_PORT", "80a")).port("GATEWAY_PORT", 8080));
    assertEquals("GATEWAY_PORT must be a whole number, got '80a'", e.getMessage());
    e = assertThrows(ConfigException.class, () -> Env.of(Map.of("GATEWAY_PORT", "70000")).port("GATEWAY_PORT", 8080));
    assertEquals("GATEWAY_PORT must be between 0 and 65535, got 70000", e.getMessage());
  }

  @Test
  void defaultsApplyOnlyWhereNothingIsSet() {
    Env env = Env.of(Map.of("A", "set", "B", "")).withDefaults(Map.of("A", "default", "B", "b", "C", "c"));
    assertEquals("set", env.required("A"));
    assertEquals("b", env.required("B"));
    assertEquals("c", env.required("C"));
    assertEquals(8080, env.port("GATEWAY_PORT", 8080));
    assertFalse(env.flag("X_FLAG", false));
  }

  @Test
  void settingsNeverPrintThePassword() {
    PgSettings pg = PgSettings.fromEnv(Env.of(Map.of("PG_HOST", "db", "PG_PASSWORD", "s3cret-value")));
    assertFalse(pg.toString().contains("s3cret-value"), pg.toString());
  }
}
