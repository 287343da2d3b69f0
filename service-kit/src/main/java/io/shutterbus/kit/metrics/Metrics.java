package io.shutterbus.kit.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.shutterbus.kit.config.Env;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Prometheus registry and the Vert.x instance that feeds it. HTTP metrics are labelled by route
 * template (never by raw path, which would make one series per image URL), and latency timers get
 * fixed buckets so dashboards can compute quantiles across pods.
 */
public final class Metrics {
  /** Timers that get histogram buckets (SLO boundaries), in addition to any name ending in ".latency". */
  private static final Set<String> HISTOGRAMS = Set.of(
      "vertx.http.server.response.time", "vertx.http.client.response.time");
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private Metrics() {
  }

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
    return new VertxOptions()
        .setPreferNativeTransport(Env.system().flag("SHUTTERBUS_NATIVE_TRANSPORT", true))
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .addLabels(Label.HTTP_ROUTE, Label.LOCAL))
        .setBlockedThreadCheckInterval(1).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS)
        .setMaxEventLoopExecuteTime(2).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
  }

  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return newVertx(registry, vertxOptions());
  }

  public static Vertx newVertx(PrometheusMeterRegistry registry, VertxOptions options) {
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
  }
}
