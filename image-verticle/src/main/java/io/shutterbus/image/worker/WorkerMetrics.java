package io.shutterbus.image.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The worker's meters, all registered at start so every series exists at 0. In Prometheus:
 * {@code shutterbus_image_render_latency_seconds{outcome="ok|undecodable|transient"}} (decode,
 * thumbnails and metadata of one image) and {@code shutterbus_image_dead_letters_total}.
 */
final class WorkerMetrics {
  private final Timer ok;
  private final Timer undecodable;
  private final Timer transientFailure;
  private final Counter deadLetters;

  WorkerMetrics(MeterRegistry registry) {
    ok = timer(registry, "ok");
    undecodable = timer(registry, "undecodable");
    transientFailure = timer(registry, "transient");
    deadLetters = Counter.builder("shutterbus.image.dead.letters")
        .description("images.uploaded events sent to the dead-letter topic").register(registry);
  }

  private static Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder("shutterbus.image.render.latency")
        .description("Time to decode one image and write its thumbnails").tag("outcome", outcome)
        .register(registry);
  }

  void rendered(Duration took, boolean succeeded, boolean permanent) {
    (succeeded ? ok : permanent ? undecodable : transientFailure).record(took);
  }

  void deadLettered() {
    deadLetters.increment();
  }
}
