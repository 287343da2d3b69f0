package io.shutterbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.upload.UploadLimits;
import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
  private static final Map<String, String> REQUIRED = Map.of(
      "PG_HOST", "127.0.0.1", "PG_PASSWORD", "x", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

  @Test
  void defaultsMatchThePortPlanAndKeepImagesUnderTheDataDirectory() {
    ImageConfig config = ImageConfig.fromEnv(Env.of(REQUIRED));
    assertEquals(8082, config.http().port());
    assertEquals(9082, config.http().managementPort());
    assertEquals(9084, config.worker().managementPort());
    assertEquals("IMAGE_WORKER_MANAGEMENT_PORT", config.worker().managementPortVariable());
    assertEquals(Path.of("./data/images").toAbsolutePath().normalize(), config.storageDir());
    assertEquals(UploadLimits.defaults(), config.limits());
    assertEquals(2, config.workerParallelism());
    assertEquals(8, config.workerMaxAttempts());
    assertEquals(io.shutterbus.kit.config.Env.defaultInstances(), config.instances());
    assertEquals("http://127.0.0.1:8081/.well-known/jwks.json", config.jwt().jwksUrl());
    assertEquals(List.of(256, 1024), config.thumbnailSizes());
  }

  @Test
  void everythingCanBeSetFromTheEnvironment() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.putAll(Map.of("IMAGE_PORT", "18082", "IMAGE_MANAGEMENT_PORT", "19082", "IMAGE_WORKER_MANAGEMENT_PORT", "19084",
        "SHUTTERBUS_DATA_DIR", "/srv/shutterbus", "IMAGE_WORKER_PARALLELISM", "4", "IMAGE_MAX_UPLOAD_BYTES", "1000"));
    ImageConfig config = ImageConfig.fromEnv(Env.of(env));
    assertEquals(18082, config.http().port());
    assertEquals(19082, config.http().managementPort());
    assertEquals(19084, config.worker().managementPort());
    assertEquals(Path.of("/srv/shutterbus/images"), config.storageDir());
    assertEquals(4, config.workerParallelism());
    assertEquals(1000, config.limits().maxUploadBytes());
    env.putAll(Map.of("IMAGE_WORKER_MAX_ATTEMPTS", "3", "IMAGE_INSTANCES", "2", "AUTH_URL", "http://auth:8081"));
    assertEquals(3, ImageConfig.fromEnv(Env.of(env)).workerMaxAttempts());
    assertEquals(2, ImageConfig.fromEnv(Env.of(env)).instances());
    assertEquals("http://auth:8081/.well-known/jwks.json", ImageConfig.fromEnv(Env.of(env)).jwt().jwksUrl());
    env.put("IMAGE_STORAGE_DIR", "/mnt/images");
    assertEquals(Path.of("/mnt/images"), ImageConfig.fromEnv(Env.of(env)).storageDir());
  }

  @Test
  void aBadValueNamesItsVariable() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put("IMAGE_WORKER_PARALLELISM", "0");
    ConfigException e = assertThrows(ConfigException.class, () -> ImageConfig.fromEnv(Env.of(env)));
    assertTrue(e.getMessage().contains("IMAGE_WORKER_PARALLELISM"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ImageConfig.fromEnv(Env.of(Map.of("PG_HOST", "h"))));
    assertTrue(e.getMessage().contains("PG_PASSWORD"), e.getMessage());
  }
}
