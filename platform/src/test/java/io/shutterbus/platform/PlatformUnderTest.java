package io.shutterbus.platform;

import io.shutterbus.kit.config.Env;
import io.shutterbus.platform.Platform;
import io.shutterbus.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole platform, started once per test JVM in this process, as {@code java -jar shutterbus.jar}
 * starts it: embedded PostgreSQL and Kafka, every service, on free ports and a temp data dir.
 */
public final class PlatformUnderTest implements ExtensionContext.Store.CloseableResource {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PlatformUnderTest.class);
  public static final String ADMIN_EMAIL = "admin@shutterbus.test";
  /** Every test that needs the administrator registers (or finds) it with this password. */
  public static final String ADMIN_PASSWORD = "correct horse battery staple";
  static final String[] PORT_VARIABLES = {
      "GATEWAY_PORT", "GATEWAY_MANAGEMENT_PORT", "AUTH_PORT", "AUTH_MANAGEMENT_PORT", "IMAGE_PORT",
      "IMAGE_MANAGEMENT_PORT", "PORTAL_PORT", "PORTAL_MANAGEMENT_PORT", "IMAGE_WORKER_MANAGEMENT_PORT",
      "EMBEDDED_PG_PORT", "EMBEDDED_KAFKA_PORT", "EMBEDDED_KAFKA_CONTROLLER_PORT"};

  public final Map<String, String> env;
  private final Path dataDir;
  private final Platform platform;

  private PlatformUnderTest(Map<String, String> env, Path dataDir, Platform platform) {
    this.env = env;
    this.dataDir = dataDir;
    this.platform = platform;
  }

  public static PlatformUnderTest of(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(PlatformUnderTest.class, k -> start(), PlatformUnderTest.class);
  }

  private static PlatformUnderTest start() {
    try {
      Path dataDir = Files.createTempDirectory("portal-it");
      Map<String, String> env = new HashMap<>();
      env.put("SHUTTERBUS_DATA_DIR", dataDir.toString());
      env.put("SHUTTERBUS_BIND_HOST", "127.0.0.1");
      for (String variable : PORT_VARIABLES) {
        env.put(variable, Integer.toString(FreePorts.next()));
      }
      // The gateway finds the services by URL: point it at this run's ports, not the defaults.
      env.put("AUTH_URL", "http://127.0.0.1:" + env.get("AUTH_PORT"));
      env.put("IMAGE_URL", "http://127.0.0.1:" + env.get("IMAGE_PORT"));
      env.put("PORTAL_URL", "http://127.0.0.1:" + env.get("PORTAL_PORT"));
      // Many tests share this platform from one address: the rate limits have tests of their own.
      env.put("GATEWAY_REGISTER_BURST", "1000");
      env.put("GATEWAY_LOGIN_BURST", "1000");
      env.put("SHUTTERBUS_ADMIN_EMAILS", ADMIN_EMAIL);
      Platform platform = Platform.start(Env.of(env), System.out);
      return new PlatformUnderTest(Map.copyOf(env), dataDir, platform);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the platform did not start", e);
    }
  }

  /** Where people reach Shutterbus: the gateway, which serves the portal at / and the API at /api. */
  public String gatewayUrl() {
    return "http://127.0.0.1:" + env.get("GATEWAY_PORT");
  }

  /** The portal service on its own port (static files only, no API behind it). */
  public String portalUrl() {
    return "http://127.0.0.1:" + env.get("PORTAL_PORT");
  }

  public String kafkaBootstrap() {
    return "127.0.0.1:" + env.get("EMBEDDED_KAFKA_PORT");
  }

  @Override
  public void close() {
    platform.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
