package io.shutterbus.kit.health;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Readiness procedures for the dependencies of a service. Each probe carries its own timeout
 * shorter than the health-check one: a probe that merely times out in vertx-health-check turns into
 * a 500, while a failed one is the 503 (naming the check) that Kubernetes and operators expect.
 */
public final class Readiness {
  /** How long a probe may take before its dependency counts as DOWN. */
  public static final long PROBE_TIMEOUT_MS = 1500;
  private static final long PROCEDURE_TIMEOUT_MS = 3000;

  private Readiness() {
  }

  public static HealthChecks create(Vertx vertx) {
    return HealthChecks.create(vertx);
  }

  public static void register(HealthChecks checks, String name, Supplier<Future<JsonObject>> probe) {
    checks.register(name, PROCEDURE_TIMEOUT_MS, (Promise<Status> p) -> {
      Future<JsonObject> result;
      try {
        result = probe.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> p.complete(ar.succeeded()
          ? Status.OK(ar.result())
          : Status.KO(new JsonObject().put("reason", reason(ar.cause())))));
    });
  }

  /** PostgreSQL answers {@code select 1}. */
  public static Supplier<Future<JsonObject>> postgres(Pool pool) {
    return () -> pool.query("select 1").execute().map(rs -> new JsonObject());
  }

  /** The Kafka cluster answers a metadata request with at least one broker. */
  public static Supplier<Future<JsonObject>> kafka(KafkaAdminClient admin) {
    return () -> admin.describeCluster().compose(d -> d.getNodes().isEmpty()
        ? Future.failedFuture("no broker in the cluster metadata")
        : Future.succeededFuture(new JsonObject().put("brokers", d.getNodes().size())));
  }

  private static String reason(Throwable t) {
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "no answer within " + PROBE_TIMEOUT_MS + " ms";
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
