package io.shutterbus.image.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadLimitsTest {

  @Test
  void defaultsAre20MiB40MegapixelsAnd1GiBOr1000ImagesPerUser() {
    UploadLimits limits = UploadLimits.fromEnv(Env.of(Map.of()));
    assertEquals(new UploadLimits(20L << 20, 40_000_000L, 1L << 30, 1000), limits);
  }

  @Test
  void everyLimitCanBeSetFromTheEnvironment() {
    UploadLimits limits = UploadLimits.fromEnv(Env.of(Map.of("IMAGE_MAX_UPLOAD_BYTES", "1048576",
        "IMAGE_MAX_PIXELS", "1000000", "IMAGE_QUOTA_BYTES", "5000000", "IMAGE_QUOTA_COUNT", "3")));
    assertEquals(new UploadLimits(1_048_576, 1_000_000, 5_000_000, 3), limits);
  }

  @Test
  void aBadValueStopsTheStartNamingTheVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> UploadLimits.fromEnv(Env.of(Map.of("IMAGE_MAX_PIXELS", "lots"))));
    assertTrue(e.getMessage().contains("IMAGE_MAX_PIXELS"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> UploadLimits.fromEnv(Env.of(Map.of("IMAGE_QUOTA_COUNT", "0"))));
    assertTrue(e.getMessage().contains("IMAGE_QUOTA_COUNT"), e.getMessage());
  }
}
