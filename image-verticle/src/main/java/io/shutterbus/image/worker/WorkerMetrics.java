package io.shutterbus.image.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The worker's meters, all registered at start so every series exists at 0. In Prometheus:
 * {@code shutterbus_image_render_latency_seconds{outcome="ok|undecodable|transient"}} (decode,
 * thumbnails and metadata of one image), {@code shutterbus_image_dead_letters_total} and
 * {@code shutterbus_image_pipeline_latency_seconds{outcome="ready|failed"}}: from the upload being
 * accepted (the {@code images.uploaded} event's time, written in the upload's transaction; for a
 * reprocess, the reprocess) to the image marked ready or failed. Its 5 s bucket is the upload
 * pipeline SLO.
 */
final class WorkerMetrics {
  private final Timer ok;
  private final Timer undecodable;
  private final Timer transientFailure;
  private final Counter deadLetters;
  private final Timer pipelineReady;
  private final Timer pipelineFailed;

  WorkerMetrics(MeterRegistry registry) {
    ok = timer(registry, "ok");
    undecodable = timer(registry, "undecodable");
    transientFailure = timer(registry, "transient");
    deadLetters = Counter.builder("shutterbus.image.dead.letters")
        .description("images.uploaded events sent to the dead-letter topic").register(registry);
    pipelineReady = pipeline(registry, "ready");
    pipelineFailed = pipeline(registry, "failed");
  }

  private static Timer pipeline(MeterRegistry registry, String outcome) {
    return Timer.builder("shutterbus.image.pipeline.latency")
        .description("Time from an upload accepted to its image marked ready or failed").tag("outcome", outcome)
        .register(registry);
  }

  /** An image reached its final state; {@code acceptedAt} is when its upload (or reprocess) was accepted. */
  void finished(Instant acceptedAt, boolean ready) {
    Duration took = Duration.between(acceptedAt, Instant.now());
    (ready ? pipelineReady : pipelineFailed).record(took.isNegative() ? Duration.ZERO : took);
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
