package io.shutterbus.platform;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.nio.file.Path;

/**
 * The launcher's own settings. Embedded mode is the default; setting PG_HOST or
 * KAFKA_BOOTSTRAP_SERVERS switches to external mode, where nothing embedded starts.
 */
record PlatformConfig(Path dataDir, boolean embedded, String bindHost, int pgPort, int kafkaPort,
                      int kafkaControllerPort) {

  static PlatformConfig fromEnv(Env env) {
    boolean external = env.has("PG_HOST") || env.has("KAFKA_BOOTSTRAP_SERVERS");
    if (external && !env.has("PG_HOST")) {
      throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS is set, so PG_HOST must be set too (external mode)");
    }
    if (external && !env.has("KAFKA_BOOTSTRAP_SERVERS")) {
      throw new ConfigException("PG_HOST is set, so KAFKA_BOOTSTRAP_SERVERS must be set too (external mode)");
    }
    return new PlatformConfig(
        env.path("SHUTTERBUS_DATA_DIR", "./data").toAbsolutePath().normalize(),
        !external,
        env.string("SHUTTERBUS_BIND_HOST", "127.0.0.1"),
        env.port("EMBEDDED_PG_PORT", 15432),
        env.port("EMBEDDED_KAFKA_PORT", 19092),
        env.port("EMBEDDED_KAFKA_CONTROLLER_PORT", 19093));
  }
}
