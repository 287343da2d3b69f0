package io.shutterbus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlatformConfigTest {
  private static final List<String> SKIPPABLE = List.of("auth", "image", "image-worker", "portal");

  @Test
  void theDrillSettingsAreOffUnlessAsked() {
    PlatformConfig config = PlatformConfig.fromEnv(Env.of(Map.of()), SKIPPABLE);
    assertFalse(config.drillConsole());
    assertEquals(Set.of(), config.skippedServices());
  }

  @Test
  void aDrillRunsTheConsoleOnStdinAndTheWorkerApart() {
    PlatformConfig config = PlatformConfig.fromEnv(Env.of(Map.of(
        "SHUTTERBUS_DRILL_CONSOLE", "stdin", "SHUTTERBUS_SKIP_SERVICES", " image-worker ")), SKIPPABLE);
    assertTrue(config.drillConsole());
    assertEquals(Set.of("image-worker"), config.skippedServices());
  }

  @Test
  void aWrongValueStopsTheStartNamingTheVariable() {
    ConfigException console = assertThrows(ConfigException.class, () -> PlatformConfig.fromEnv(
        Env.of(Map.of("SHUTTERBUS_DRILL_CONSOLE", "tcp")), SKIPPABLE));
    assertTrue(console.getMessage().contains("SHUTTERBUS_DRILL_CONSOLE"), console.getMessage());
    ConfigException skip = assertThrows(ConfigException.class, () -> PlatformConfig.fromEnv(
        Env.of(Map.of("SHUTTERBUS_SKIP_SERVICES", "gateway")), SKIPPABLE));
    assertTrue(skip.getMessage().contains("SHUTTERBUS_SKIP_SERVICES") && skip.getMessage().contains("gateway"),
        skip.getMessage());
  }

  @Test
  void theConsoleIsRefusedInExternalModeWhereThereIsNothingEmbeddedToStop() {
    ConfigException e = assertThrows(ConfigException.class, () -> PlatformConfig.fromEnv(Env.of(Map.of(
        "PG_HOST", "db", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "SHUTTERBUS_DRILL_CONSOLE", "stdin")), SKIPPABLE));
    assertTrue(e.getMessage().contains("external mode"), e.getMessage());
  }
}
