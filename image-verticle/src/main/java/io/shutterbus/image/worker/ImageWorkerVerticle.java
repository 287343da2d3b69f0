package io.shutterbus.image.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.events.DeadLetters;
import io.shutterbus.events.EventConsumer;
import io.shutterbus.events.KafkaClients;
import io.shutterbus.events.Topics;
import io.shutterbus.image.ImageConfig;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.render.ThumbnailRenderer;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.db.PgPools;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One consumer of {@code images.uploaded} in group {@code image-worker}: subscribe, then for each
 * record (one at a time, the consumer paused meanwhile) render on the shared, bounded
 * {@value #EXECUTOR} executor, mark the row and add the result event in one transaction, commit
 * the offset; undecodable images are dead-lettered before the commit. {@code ImageWorkerService}
 * deploys {@code IMAGE_WORKER_PARALLELISM} of these: each is a member of the group with partitions
 * of its own, so images are rendered that many at a time, in order per image, and every offset
 * commit stays exactly "this record, after its effect".
 */
public final class ImageWorkerVerticle extends VerticleBase {
  public static final String GROUP = "image-worker";
  public static final String EXECUTOR = "image-render";
  private final ImageConfig config;
  private final ContentStore store;
  private final MeterRegistry registry;
  private final RenderHook hook;
  private Pool pool;
  private WorkerExecutor executor;
  private KafkaProducer<String, String> deadLetterProducer;
  private AutoCloseable producerMetrics;

  public ImageWorkerVerticle(ImageConfig config, ContentStore store, MeterRegistry registry, RenderHook hook) {
    this.config = config;
    this.store = store;
    this.registry = registry;
    this.hook = hook;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, config.pg(), io.shutterbus.image.ImageWorkerService.NAME);
    // Shared by name: all instances together decode at most IMAGE_WORKER_PARALLELISM images at once.
    executor = vertx.createSharedWorkerExecutor(EXECUTOR, config.workerParallelism(), 5, TimeUnit.MINUTES);
    deadLetterProducer = KafkaClients.producer(vertx, config.kafka(),
        "image-worker-dlq-" + UUID.randomUUID().toString().substring(0, 8));
    deadLetterProducer.exceptionHandler(err -> { });  // each send's failure is handled through its future
    producerMetrics = KafkaClients.meter(deadLetterProducer, registry);
    WorkerMetrics metrics = new WorkerMetrics(registry);
    DeadLetters deadLetters = new DeadLetters(deadLetterProducer,
        Topics.of(config.kafka()).name(Topics.IMAGES_UPLOADED_DLQ), GROUP,
        2L * config.kafka().requestTimeoutMs() + 5000, metrics::deadLettered);
    ImageProcessor processor = new ImageProcessor(vertx, pool, new ImageRepository(), store,
        new ThumbnailRenderer(store, config.limits().maxPixels(), config.thumbnailSizes()), executor,
        config.workerMaxAttempts(), hook, metrics);
    // Once per process, off the loop, before consuming: the first uploads after a start then find
    // ImageIO and Java2D initialised (a warm-up still running would hold one of the render threads).
    return executor.executeBlocking(() -> {
      ThumbnailRenderer.warmUp();
      return null;
    }, false).compose(v -> vertx.deployVerticle(new EventConsumer(config.kafka(), GROUP,
        Set.of(Topics.IMAGES_UPLOADED), processor, deadLetters::send, EventConsumer.Retry.upTo(Duration.ofSeconds(10)),
        registry)));
  }

  @Override
  public Future<?> stop() {
    Future<Void> producerClosed = deadLetterProducer == null ? Future.succeededFuture() : deadLetterProducer.close(1000);
    return producerClosed.eventually(() -> {
      KafkaClients.closeQuietly(producerMetrics);
      return executor.close();
    }).eventually(() -> pool.close());
  }
}
