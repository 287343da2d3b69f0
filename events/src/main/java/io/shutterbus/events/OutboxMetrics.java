package io.shutterbus.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay's meters, tagged with the outbox schema. In Prometheus: {@code shutterbus_outbox_pending},
 * {@code shutterbus_outbox_published_total}, {@code shutterbus_outbox_publish_failures_total} and
 * {@code shutterbus_outbox_oldest_pending_age_seconds} (how long the oldest unsent row has waited, as
 * of the relay's last count: it counts after each batch and each poll, so a stuck relay's gauge
 * stops moving and the alert uses the relay's failures as well) and
 * {@code shutterbus_outbox_publish_latency_seconds} (send to broker acknowledgement; the kit's
 * registry gives every {@code *.latency} timer histogram buckets); {@code shutterbus_outbox_parked}
 * (rows Kafka refused for good, waiting for an operator to re-drive them: alert when above 0) and
 * {@code shutterbus_outbox_parked_rows_total} (rows parked so far).
 */
final class OutboxMetrics {
  private final AtomicLong pending = new AtomicLong();
  private final AtomicReference<Double> oldestAge = new AtomicReference<>(0.0);
  private final Counter published;
  private final Counter failures;
  private final Timer latency;
  private final AtomicLong parkedNow = new AtomicLong();
  private final Counter parkedRows;

  OutboxMetrics(MeterRegistry registry, String schema) {
    Gauge.builder("shutterbus.outbox.pending", pending, AtomicLong::get)
        .description("Outbox rows not yet acknowledged by Kafka").tag("schema", schema)
        .strongReference(true).register(registry);
    Gauge.builder("shutterbus.outbox.oldest.pending.age", oldestAge, AtomicReference::get)
        .description("Seconds the oldest row not yet acknowledged by Kafka has waited").baseUnit("seconds")
        .tag("schema", schema).strongReference(true).register(registry);
    published = Counter.builder("shutterbus.outbox.published")
        .description("Outbox rows published and acknowledged").tag("schema", schema).register(registry);
    failures = Counter.builder("shutterbus.outbox.publish.failures")
        .description("Outbox row publish attempts that failed").tag("schema", schema).register(registry);
    latency = Timer.builder("shutterbus.outbox.publish.latency")
        .description("Time from handing a row to the producer until the broker acknowledged it")
        .tag("schema", schema).register(registry);
    Gauge.builder("shutterbus.outbox.parked", parkedNow, AtomicLong::get)
        .description("Outbox rows Kafka refused for good, out of line until re-driven").tag("schema", schema)
        .strongReference(true).register(registry);
    parkedRows = Counter.builder("shutterbus.outbox.parked.rows")
        .description("Outbox rows parked because Kafka refused them for good").tag("schema", schema)
        .register(registry);
  }

  void pending(Pending value) {
    pending.set(value.rows());
    oldestAge.set(value.oldestAgeSeconds());
  }

  /** Unsent rows and the age of the oldest of them. */
  record Pending(long rows, double oldestAgeSeconds) {
  }

  void published(Duration took) {
    published.increment();
    latency.record(took);
  }

  void parkedNow(long value) {
    parkedNow.set(value);
  }

  void parked(int rows) {
    parkedRows.increment(rows);
  }

  void failed(int rows) {
    failures.increment(rows);
  }
}
