package io.shutterbus.kit.mgmt;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.health.Readiness;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.http.Servers;
import io.shutterbus.kit.run.Shutdown;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The management server of one service, on its own port: {@code /health/live} (the process only,
 * so a database outage never makes Kubernetes restart pods), {@code /health/ready} (the service's
 * dependencies, each with a timeout) and {@code /metrics} (Prometheus).
 */
public final class ManagementVerticle extends VerticleBase {
  private final String service;
  private final String host;
  private final int port;
  private final String portVariable;
  private final PgSettings pg;
  private final KafkaSettings kafka;
  private final PrometheusMeterRegistry registry;
  private final List<Runnable> closers = new ArrayList<>();
  private HttpServer server;

  /**
   * @param pg    null when the service does not use PostgreSQL
   * @param kafka null when the service does not use Kafka
   */
  public ManagementVerticle(String service, String host, int port, String portVariable,
                            PgSettings pg, KafkaSettings kafka, PrometheusMeterRegistry registry) {
    this.service = service;
    this.host = host;
    this.port = port;
    this.portVariable = portVariable;
    this.pg = pg;
    this.kafka = kafka;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    HealthChecks checks = Readiness.create(vertx);
    List<String> dependencies = new ArrayList<>();
    if (pg != null) {
      Pool pool = PgPools.create(vertx, pg, service + "-health", 1);
      closers.add(pool::close);
      Readiness.register(checks, "postgresql", Readiness.postgres(pool));
      dependencies.add("postgresql");
    }
    if (kafka != null) {
      Map<String, String> config = kafka.clientConfig(service + "-health");
      config.put("request.timeout.ms", String.valueOf(Readiness.PROBE_TIMEOUT_MS));
      config.put("default.api.timeout.ms", String.valueOf(Readiness.PROBE_TIMEOUT_MS));
      KafkaAdminClient admin = KafkaAdminClient.create(vertx, config);
      closers.add(admin::close);
      Readiness.register(checks, "kafka", Readiness.kafka(admin));
      dependencies.add("kafka");
    }

    Router router = Routers.create(vertx);
    // Stopping: 503 at once, so load balancers take this instance out while requests still drain.
    router.get("/health/ready").handler(ctx -> {
      if (Shutdown.of(vertx).draining()) {
        ctx.response().setStatusCode(503).putHeader("content-type", "application/json").end(new JsonObject()
            .put("status", "DOWN").put("outcome", "DOWN").put("checks", new JsonArray().add(new JsonObject()
                .put("id", "shutdown").put("status", "DOWN").put("data", new JsonObject().put("reason", "stopping"))))
            .encode());
      } else {
        ctx.next();
      }
    });
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP").put("service", service)));
    if (pg == null && kafka == null) {
      router.get("/health/ready").handler(ctx -> ctx.json(
          new JsonObject().put("status", "UP").put("checks", new JsonArray()).put("outcome", "UP")));
    } else {
      router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(checks));
    }
    DependencyMeter dependencyMeter = new DependencyMeter(checks, dependencies, registry);
    router.get("/metrics").handler(ctx -> dependencyMeter.refresh().onComplete(done -> ctx.next()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));

    return Servers.listen(vertx, new HttpServerOptions(), router, host, port, portVariable)
        .onSuccess(s -> {
          server = s;
          Shutdown.enrol(vertx, Shutdown.Stage.MANAGEMENT);  // answers readiness until everything else stopped
        });
  }

  @Override
  public Future<?> stop() {
    closers.forEach(Runnable::run);
    return server == null ? Future.succeededFuture() : server.shutdown(2, TimeUnit.SECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
