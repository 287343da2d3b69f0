package io.shutterbus.kit.mgmt;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The readiness checks as gauges, refreshed just before each scrape so Prometheus sees what
 * {@code /health/ready} would answer at that moment: {@code shutterbus_dependency_up{dependency}}
 * (1 up, 0 down; one per probed dependency) and {@code shutterbus_ready} (1 when all are up).
 * Refreshing on scrape rather than on a timer costs nothing while nobody scrapes; a down
 * dependency makes the scrape wait for its probe timeout (1.5 s), well inside a scrape timeout.
 */
final class DependencyMeter {
  private final HealthChecks checks;
  private final Map<String, AtomicInteger> up = new LinkedHashMap<>();
  private final AtomicInteger ready = new AtomicInteger(1);

  DependencyMeter(HealthChecks checks, List<String> dependencies, MeterRegistry registry) {
    this.checks = checks;
    for (String dependency : dependencies) {
      AtomicInteger value = new AtomicInteger(0);
      up.put(dependency, value);
      Gauge.builder("shutterbus.dependency.up", value, AtomicInteger::get)
          .description("1 when the dependency answered its readiness probe at the last scrape")
          .tag("dependency", dependency).strongReference(true).register(registry);
    }
    ready.set(dependencies.isEmpty() ? 1 : 0);
    Gauge.builder("shutterbus.ready", ready, AtomicInteger::get)
        .description("1 when /health/ready would answer UP (every dependency up)")
        .strongReference(true).register(registry);
  }

  /** Runs every probe; always succeeds (a failed probe is a 0, not a failed scrape). */
  Future<Void> refresh() {
    List<Future<Boolean>> probes = new ArrayList<>();
    up.forEach((dependency, value) -> probes.add(checks.checkStatus(dependency)
        .map(CheckResult::isUp).otherwise(false)
        .onSuccess(isUp -> value.set(isUp ? 1 : 0))));
    return Future.join(probes).transform(ar -> {
      ready.set(probes.stream().allMatch(p -> Boolean.TRUE.equals(p.result())) ? 1 : 0);
      return Future.succeededFuture();
    });
  }
}
