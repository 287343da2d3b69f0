package io.shutterbus.auth;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.run.ServiceRuntime;
import io.shutterbus.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The auth service running in a test, on free ports, in embedded key mode with a temporary data dir. */
final class AuthApp implements AutoCloseable {
  final Vertx vertx;
  final int port;
  final int managementPort;
  final Path dataDir;

  private AuthApp(Vertx vertx, int port, int managementPort, Path dataDir) {
    this.vertx = vertx;
    this.port = port;
    this.managementPort = managementPort;
    this.dataDir = dataDir;
  }

  static AuthApp start(Map<String, String> env) throws Exception {
    return start(env, Metrics.vertxOptions());
  }

  static AuthApp start(Map<String, String> env, VertxOptions options) throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(registry, options);
    return start(vertx, registry, env);
  }

  static AuthApp start(Vertx vertx, PrometheusMeterRegistry registry, Map<String, String> env) throws Exception {
    int port = FreePorts.next();
    int managementPort = FreePorts.next();
    Path dataDir = Files.createTempDirectory("auth-test-data");
    Map<String, String> all = new HashMap<>(Map.of(
        "AUTH_PORT", Integer.toString(port),
        "AUTH_MANAGEMENT_PORT", Integer.toString(managementPort),
        "SHUTTERBUS_MODE", "embedded",
        "SHUTTERBUS_DATA_DIR", dataDir.toString(),
        "SHUTTERBUS_BIND_HOST", "127.0.0.1",
        "AUTH_HASH_THREADS", "2"));
    all.putAll(env);
    try {
      AuthService.deploy(new ServiceRuntime(vertx, registry), Env.of(all)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
    return new AuthApp(vertx, port, managementPort, dataDir);
  }

  @Override
  public void close() throws java.util.concurrent.TimeoutException {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
