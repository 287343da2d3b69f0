package io.shutterbus.kit.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.shutterbus.kit.config.Env;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Prometheus registry and the Vert.x instance that feeds it, per service. Every series carries
 * a {@code service} label (a common tag), so a query reads the same whether one pod runs one
 * service (Kubernetes) or one JVM runs them all (the platform gives each service its own Vert.x
 * and registry, so each management port serves only its own service's series). HTTP metrics are
 * labelled by route template (never by raw path, which would make one series per image URL), and
 * latency timers get fixed buckets so dashboards can compute quantiles across pods.
 */
public final class Metrics {
  private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();
  /** Timers that get histogram buckets (SLO boundaries), in addition to any name ending in ".latency". */
  private static final Set<String> HISTOGRAMS = Set.of(
      "vertx.http.server.response.time", "vertx.http.client.response.time");
  /** 300 ms is the API latency SLO and 5 s the upload pipeline SLO: both must be bucket boundaries. */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(300), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private Metrics() {
  }

  /** A registry whose every series is labelled {@code service="<service>"}. */
  public static PrometheusMeterRegistry newRegistry(String service) {
    PrometheusMeterRegistry registry = newRegistry();
    registry.config().commonTags("service", service);
    return registry;
  }

  /** A registry without the {@code service} label: for tests that run one service's parts alone. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HISTOGRAMS.contains(id.getName()) && !id.getName().endsWith(".latency")) {
          return config;
        }
        double[] slos = new double[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
          slos[i] = BUCKETS[i].toNanos();
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(slos).build().merge(config);
      }
    });
    return registry;
  }

  /**
   * Vert.x options with metrics on: route-template labels, pool and JVM metrics, strict blocked-thread
   * checks; and Netty's native epoll transport on Linux unless {@code SHUTTERBUS_NATIVE_TRANSPORT=false}
   * (Vert.x falls back to NIO by itself where epoll cannot load).
   */
  public static VertxOptions vertxOptions() {
    return vertxOptions("default", true);
  }

  /**
   * Options for one of several Vert.x instances in a process (the platform runs one per service).
   *
   * @param registryName the service's name, made unique per Vert.x here: vertx-micrometer shares one
   *                     backend per name (a static map), so a second platform in the same JVM (tests
   *                     run several) would report into the first one's registry and, when it closed,
   *                     close that registry under the first platform's services
   * @param jvmMetrics   false for all but one Vert.x of a process: {@code jvm_*} and {@code process_*}
   *                     describe the whole JVM and would otherwise be counted once per service
   */
  public static VertxOptions vertxOptions(String registryName, boolean jvmMetrics) {
    return new VertxOptions()
        .setPreferNativeTransport(Env.system().flag("SHUTTERBUS_NATIVE_TRANSPORT", true))
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setRegistryName(registryName.equals("default") ? registryName : registryName + "#" + INSTANCES.incrementAndGet())
            .setJvmMetricsEnabled(jvmMetrics)
            .addLabels(Label.HTTP_ROUTE, Label.LOCAL))
        .setBlockedThreadCheckInterval(1).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS)
        .setMaxEventLoopExecuteTime(2).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
  }

  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return newVertx(registry, vertxOptions());
  }

  /** A Vert.x feeding {@code registry}, whose blocked-thread reports are also counted there. */
  public static Vertx newVertx(PrometheusMeterRegistry registry, VertxOptions options) {
    Vertx vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(new BlockedThreadMeter(registry));
    return vertx;
  }
}
