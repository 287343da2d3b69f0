package io.shutterbus.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code shutterbus_consumer_events_total{group, outcome}}: {@code handled}, {@code retried} (a
 * failed attempt that will be tried again), {@code poisoned} (unreadable or a poison event),
 * {@code exhausted} (still failing after the last attempt), {@code dead_lettered} (written to the
 * dead-letter topic: alert on its rate) and {@code abandoned} (left uncommitted for the partition's
 * next owner, at a rebalance or a stop). No registry, no meters.
 */
final class ConsumerMetrics {
  private final Counter handled;
  private final Counter retried;
  private final Counter poisoned;
  private final Counter exhausted;
  private final Counter deadLettered;
  private final Counter abandoned;

  ConsumerMetrics(MeterRegistry registry, String group) {
    handled = counter(registry, group, "handled");
    retried = counter(registry, group, "retried");
    poisoned = counter(registry, group, "poisoned");
    exhausted = counter(registry, group, "exhausted");
    deadLettered = counter(registry, group, "dead_lettered");
    abandoned = counter(registry, group, "abandoned");
  }

  private static Counter counter(MeterRegistry registry, String group, String outcome) {
    return registry == null ? null
        : Counter.builder("shutterbus.consumer.events").description("Events by what their consumer did with them")
            .tag("group", group).tag("outcome", outcome).register(registry);
  }

  private static void inc(Counter c) {
    if (c != null) {
      c.increment();
    }
  }

  void handled() {
    inc(handled);
  }

  void retried() {
    inc(retried);
  }

  void poisoned() {
    inc(poisoned);
  }

  void exhausted() {
    inc(exhausted);
  }

  void deadLettered() {
    inc(deadLettered);
  }

  void abandoned() {
    inc(abandoned);
  }
}
