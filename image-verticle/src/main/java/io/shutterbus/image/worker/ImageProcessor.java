package io.shutterbus.image.worker;

import io.shutterbus.events.DomainEvent;
import io.shutterbus.events.EventConsumer;
import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.ImageUploaded;
import io.shutterbus.events.InvalidEventException;
import io.shutterbus.events.Outbox;
import io.shutterbus.events.PoisonEventException;
import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.image.ImageEvents;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.db.ImageStatus;
import io.shutterbus.image.db.MarkResult;
import io.shutterbus.image.db.PipelineState;
import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.render.RenderException;
import io.shutterbus.image.render.RenderResult;
import io.shutterbus.image.render.ThumbnailRenderer;
import io.shutterbus.image.store.BlobCollector;
import io.shutterbus.image.store.ContentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one {@code images.uploaded} event: decides from the row what the event still asks for,
 * renders on the bounded render executor (never on an event loop), then in ONE transaction marks
 * the image ready or failed and, only when that mark changed the row, adds {@code images.processed}
 * or {@code images.failed} to the outbox. The consumer commits the offset after this completes.
 *
 * <p>Idempotency is by the row, not by remembering event ids: the row waits for exactly one event
 * ({@code pending_event_id}) and records which one it carries. A redelivery (crash before the
 * offset commit, or the at-least-once relay publishing twice) finds the image done and changes
 * nothing; a stale event (the image was reprocessed or deleted since) is skipped; and a replay of
 * a dead letter ({@code shutterbus_replayed_from} header, same {@code ce_id}) re-arms the image and
 * is processed again, which a table of seen event ids would have dropped. The replayed record's
 * own position is kept on the row, so a redelivery of the replay does not re-arm it twice.
 *
 * <p>Failures: an undecodable image fails at once (images.failed with the reason) and the event
 * is dead-lettered (a {@link PoisonEventException} sends it to {@link io.shutterbus.events.DeadLetters}). A storage error
 * is retried with the consumer's backoff, and after {@code maxAttempts} treated like an
 * undecodable image. Database and Kafka errors are retried until they pass.
 */
final class ImageProcessor implements EventConsumer.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(ImageProcessor.class);

  private enum Step { RENDER, SKIP, DEAD_LETTER }

  private record Decision(Step step, String why) {
  }

  private final Pool pool;
  private final ImageRepository repo;
  private final BlobCollector blobs;
  private final ThumbnailRenderer renderer;
  private final WorkerExecutor executor;
  private final int maxAttempts;
  private final RenderHook hook;
  private final WorkerMetrics metrics;
  private String attemptsOf;
  private int attempts;

  ImageProcessor(Vertx vertx, Pool pool, ImageRepository repo, ContentStore store, ThumbnailRenderer renderer,
                 WorkerExecutor executor, int maxAttempts, RenderHook hook, WorkerMetrics metrics) {
    this.pool = pool;
    this.repo = repo;
    this.blobs = new BlobCollector(vertx, pool, repo, store);
    this.renderer = renderer;
    this.executor = executor;
    this.maxAttempts = maxAttempts;
    this.hook = hook;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> handle(EventEnvelope event, KafkaConsumerRecord<String, String> record) {
    Job job = Job.of(event, record);
    return decide(job).compose(decision -> switch (decision.step()) {
      case SKIP -> {
        LOG.debug("image {}: event {} needs nothing ({})", job.imageId, job.eventId, decision.why());
        yield Future.succeededFuture();
      }
      case DEAD_LETTER -> Future.failedFuture(new PoisonEventException(decision.why()));
      case RENDER -> render(job, record);
    });
  }

  private Future<Decision> decide(Job job) {
    return repo.findPipelineState(pool, job.imageId).compose(found -> {
      if (found.isEmpty()) {
        return done(Step.SKIP, "the image was deleted");
      }
      PipelineState state = found.get();
      if (!state.waitsFor(job.eventId)) {
        return done(Step.SKIP, "the image was reprocessed since; a newer event owns it");
      }
      if (state.image().status() == ImageStatus.PROCESSING) {
        return done(Step.RENDER, "processing");
      }
      if (job.replayMarker == null) {
        return Future.succeededFuture(finished(state));
      }
      return repo.rearmForReplay(pool, job.imageId, job.eventId, job.replayMarker)
          .map(rearmed -> rearmed ? new Decision(Step.RENDER, "replayed") : finished(state));
    });
  }

  /** A redelivery of an event already applied: nothing to do, but a failure's dead letter is made sure of. */
  private static Decision finished(PipelineState state) {
    return state.image().status() == ImageStatus.FAILED
        ? new Decision(Step.DEAD_LETTER, state.image().failureReason())
        : new Decision(Step.SKIP, "already processed");
  }

  private Future<Void> render(Job job, KafkaConsumerRecord<String, String> record) {
    long started = System.nanoTime();
    return executor.<RenderResult>executeBlocking(() -> {
      RenderResult result = renderer.render(job.sha256, job.format);
      hook.rendered(job.imageId);
      return result;
    }, false).transform(ar -> {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      // An Error (out of memory above all) is never a passing condition: failing the image beats a retry loop.
      boolean permanent = ar.cause() instanceof RenderException re && re.permanent() || ar.cause() instanceof Error;
      metrics.rendered(took, ar.succeeded(), permanent);
      String position = record.topic() + "/" + record.partition() + "@" + record.offset();
      if (ar.succeeded()) {
        attemptsOf = null;
        return markReady(job, ar.result());
      }
      if (permanent) {
        String reason = ar.cause() instanceof RenderException re ? re.reason()
            : "The image could not be processed (" + ar.cause().getClass().getSimpleName() + "); it is not tried again.";
        return markFailed(job, reason, ar.cause());
      }
      int tries = position.equals(attemptsOf) ? ++attempts : (attempts = 1);
      attemptsOf = position;
      if (tries < maxAttempts) {
        return Future.failedFuture(ar.cause());  // the consumer retries it with backoff
      }
      LOG.warn("image {}: giving up after {} attempts: {}", job.imageId, tries, ar.cause().toString());
      return markFailed(job, "The image's file could not be read or written after " + tries
          + " attempts; reprocess it to try again.", ar.cause());
    });
  }

  private Future<Void> markReady(Job job, RenderResult result) {
    return pool.withTransaction(tx -> repo.markReady(tx, job.imageId, job.eventId, result)
            .compose(mark -> mark.updated()
                ? Outbox.append(tx, ImageRepository.SCHEMA,
                    ImageEvents.processed(mark.image(), renderer.sizes(), Instant.now())).map(mark)
                : Future.succeededFuture(mark)))
        .compose(mark -> {
          LOG.debug("image {}: ready, {}", job.imageId, mark.outcome());
          if (mark.updated()) {
            metrics.finished(job.acceptedAt, true);
          }
          return mark.outcome() == MarkResult.Outcome.NOT_FOUND ? removeOrphanedFiles(job) : Future.succeededFuture();
        });
  }

  private Future<Void> markFailed(Job job, String reason, Throwable cause) {
    return pool.withTransaction(tx -> repo.markFailed(tx, job.imageId, job.eventId, reason)
            .compose(mark -> mark.updated()
                ? Outbox.append(tx, ImageRepository.SCHEMA, ImageEvents.failed(mark.image(), Instant.now())).map(mark)
                : Future.succeededFuture(mark)))
        .onSuccess(mark -> {
          if (mark.updated()) {
            metrics.finished(job.acceptedAt, false);
          }
        })
        .compose(mark -> switch (mark.outcome()) {
          case UPDATED, ALREADY_APPLIED -> Future.failedFuture(new PoisonEventException(
              mark.image().failureReason(), cause));
          case SUPERSEDED -> Future.<Void>succeededFuture();
          case NOT_FOUND -> removeOrphanedFiles(job);
        });
  }

  /** Thumbnails written for an image deleted meanwhile: removed unless another image uses the same bytes. */
  private Future<Void> removeOrphanedFiles(Job job) {
    return blobs.removeIfUnused(job.sha256)
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("image {}: could not remove the files of the deleted image: {}", job.imageId, e.toString());
          return Future.succeededFuture();
        });
  }

  /** What one event asks for, checked before anything is read from the store. */
  private record Job(UUID imageId, UUID eventId, String sha256, ImageFormat format, String replayMarker,
                     Instant acceptedAt) {

    static Job of(EventEnvelope event, KafkaConsumerRecord<String, String> record) {
      if (!(DomainEvent.decode(event) instanceof ImageUploaded uploaded)) {
        throw new InvalidEventException("not an images.uploaded event: " + event.type());
      }
      UUID eventId;
      try {
        eventId = UUID.fromString(event.id());
      } catch (IllegalArgumentException e) {
        throw new InvalidEventException("ce_id is not a UUID: " + event.id(), e);
      }
      if (!ContentStore.SHA256.matcher(uploaded.sha256()).matches()) {
        throw new InvalidEventException("sha256 is not a lower-case hex SHA-256");
      }
      ImageFormat format = ImageFormat.fromId(uploaded.format())
          .orElseThrow(() -> new InvalidEventException("unknown image format " + uploaded.format()));
      return new Job(uploaded.imageId(), eventId, uploaded.sha256(), format, replayMarker(record), event.time());
    }

    /** The replayed record's own position, or null when the record is no replay of a dead letter. */
    private static String replayMarker(KafkaConsumerRecord<String, String> record) {
      for (KafkaHeader h : record.headers()) {
        if (EventInspector.REPLAYED_FROM.equals(h.key())) {
          return record.topic() + "/" + record.partition() + "@" + record.offset();
        }
      }
      return null;
    }
  }

  private static Future<Decision> done(Step step, String why) {
    return Future.succeededFuture(new Decision(step, why));
  }
}
