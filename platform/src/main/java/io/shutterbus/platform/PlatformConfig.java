package io.shutterbus.platform;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The launcher's own settings. Embedded mode is the default; setting PG_HOST or
 * KAFKA_BOOTSTRAP_SERVERS switches to external mode, where nothing embedded starts.
 */
record PlatformConfig(Path dataDir, boolean embedded, String bindHost, int pgPort, int kafkaPort,
                      int kafkaControllerPort, boolean drillConsole, Set<String> skippedServices) {

  /** Services not to deploy here, e.g. {@code image-worker} when a failure drill runs it as its own process. */
  static final String SKIP_VARIABLE = "SHUTTERBUS_SKIP_SERVICES";

  static PlatformConfig fromEnv(Env env, List<String> serviceNames) {
    boolean external = env.has("PG_HOST") || env.has("KAFKA_BOOTSTRAP_SERVERS");
    if (external && !env.has("PG_HOST")) {
      throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS is set, so PG_HOST must be set too (external mode)");
    }
    if (external && !env.has("KAFKA_BOOTSTRAP_SERVERS")) {
      throw new ConfigException("PG_HOST is set, so KAFKA_BOOTSTRAP_SERVERS must be set too (external mode)");
    }
    boolean drillConsole = switch (env.string(DrillConsole.VARIABLE, "off")) {
      case "off" -> false;
      case "stdin" -> true;
      default -> throw new ConfigException(DrillConsole.VARIABLE + " must be stdin or off, not '"
          + env.string(DrillConsole.VARIABLE, "") + "'");
    };
    if (drillConsole && external) {
      throw new ConfigException(DrillConsole.VARIABLE + " drives the embedded PostgreSQL and Kafka: unset it in external mode");
    }
    Set<String> skipped = new TreeSet<>();
    for (String name : env.string(SKIP_VARIABLE, "").split(",")) {
      if (!name.isBlank()) {
        if (!serviceNames.contains(name.trim())) {
          throw new ConfigException(SKIP_VARIABLE + " names services from " + serviceNames + ", not '" + name.trim() + "'");
        }
        skipped.add(name.trim());
      }
    }
    return new PlatformConfig(
        env.path("SHUTTERBUS_DATA_DIR", "./data").toAbsolutePath().normalize(),
        !external,
        env.string("SHUTTERBUS_BIND_HOST", "127.0.0.1"),
        env.port("EMBEDDED_PG_PORT", 15432),
        env.port("EMBEDDED_KAFKA_PORT", 19092),
        env.port("EMBEDDED_KAFKA_CONTROLLER_PORT", 19093),
        drillConsole,
        Set.copyOf(skipped));
  }
}
