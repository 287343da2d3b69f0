package io.shutterbus.kit.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape of every service's {@code main}: one Vert.x with metrics, the service's deployments,
 * a SIGTERM hook that drains and closes, and start failures reported as one line.
 */
public final class ServiceRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

  private ServiceRunner() {
  }

  /** Deploys what {@code deploy} starts; on failure prints one line and exits with status 1. */
  public static void run(String service, BiFunction<ServiceRuntime, Env, Future<?>> deploy) {
    Env env = Env.system();
    PrometheusMeterRegistry registry = Metrics.newRegistry(service);
    Vertx vertx = Metrics.newVertx(registry);
    ServiceRuntime runtime = new ServiceRuntime(vertx, registry);
    try {
      deploy.apply(runtime, env).await(60, TimeUnit.SECONDS);
    } catch (Throwable t) {
      failStart(service, t);
      vertx.close();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("{}: stopping", service);
      try {
        Shutdown.of(vertx).run(vertx, grace(env)).await(25, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{}: the orderly stop did not finish: {}", service, e.toString());
      }
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{}: close did not finish cleanly: {}", service, e.toString());
      }
    }, service + "-shutdown"));
    LOG.info("{}: started", service);
  }

  /** {@code SHUTTERBUS_SHUTDOWN_GRACE_MS} (1000): readiness says 503 this long before servers stop accepting. */
  public static java.time.Duration grace(Env env) {
    return env.millis("SHUTTERBUS_SHUTDOWN_GRACE_MS", Shutdown.DEFAULT_GRACE_MS, 0, 60_000);
  }

  /** Prints a start failure: one line for what the operator can fix, the stack only for the unexpected. */
  public static void failStart(String service, Throwable t) {
    Throwable config = configCause(t);
    if (config != null) {
      System.err.println(service + ": " + config.getMessage());
    } else {
      LOG.error("{}: start failed", service, t);
      System.err.println(service + ": start failed: " + t);
    }
  }

  public static ConfigException configCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException ce) {
        return ce;
      }
    }
    return null;
  }
}
