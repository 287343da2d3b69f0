package io.shutterbus.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.run.Shutdown;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a schema's outbox to Kafka. Woken by NOTIFY at every commit that adds rows, and by a
 * poll timer in case a notification was lost; drains batch after batch until nothing is eligible.
 * While Kafka or PostgreSQL is away it retries with capped exponential backoff, and the rows wait
 * in the table. Any number of replicas may run on one outbox: rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so none is sent twice by two relays.
 */
public final class OutboxRelay extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** How the relay paces itself. */
  /** @param sharedPool the service's shared pool to use ({@link PgPools#shared}), or null for one of its own */
  public record Settings(String schema, int batchSize, Duration pollInterval, Duration minBackoff,
                         Duration maxBackoff, Duration retention, String sharedPool) {
    public Settings {
      Outbox.checkSchema(schema);
      if (batchSize < 1 || pollInterval.isNegative() || pollInterval.isZero() || minBackoff.isNegative()
          || maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException("invalid outbox relay settings");
      }
    }

    /** Batches of 100, a poll every 2 s, backoff 250 ms doubling up to 10 s, sent rows kept 7 days. */
    public static Settings defaults(String schema) {
      return new Settings(schema, 100, Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10),
          Duration.ofDays(7), null);
    }

    /** Publishes through the service's one pool rather than a pool of its own. */
    public Settings withSharedPool(String service) {
      return new Settings(schema, batchSize, pollInterval, minBackoff, maxBackoff, retention, service);
    }

    public Settings withPollInterval(Duration value) {
      return new Settings(schema, batchSize, value, minBackoff, maxBackoff, retention, sharedPool);
    }

    public Settings withBackoff(Duration min, Duration max) {
      return new Settings(schema, batchSize, pollInterval, min, max, retention, sharedPool);
    }

    public Settings withBatchSize(int value) {
      return new Settings(schema, value, pollInterval, minBackoff, maxBackoff, retention, sharedPool);
    }
  }

  private final PgSettings pg;
  private final KafkaSettings kafka;
  private final Settings settings;
  private final MeterRegistry registry;
  private AutoCloseable producerMetrics;
  private Pool pool;
  private KafkaProducer<String, String> producer;
  private OutboxRows rows;
  private OutboxMetrics metrics;
  private BatchPublisher publisher;
  private NotifyListener listener;
  private Future<?> inFlight;
  private boolean again;
  private boolean stopped;
  private int failures;
  private long backoffTimer = -1;
  private long pollTimer = -1;
  private long cleanupTimer = -1;

  /** A relay with default settings reporting to {@code registry}. */
  public OutboxRelay(PgSettings pg, KafkaSettings kafka, String schema, MeterRegistry registry) {
    this(pg, kafka, Settings.defaults(schema), registry);
  }

  /** @param registry where the meters go; null means Vert.x's default backend registry, if any */
  public OutboxRelay(PgSettings pg, KafkaSettings kafka, Settings settings, MeterRegistry registry) {
    this.pg = pg;
    this.kafka = kafka;
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Shutdown.enrol(vertx, Shutdown.Stage.RELAYS);  // stops after the HTTP servers drained: it publishes their rows
    String schema = settings.schema();
    pool = settings.sharedPool() != null ? PgPools.shared(vertx, pg, settings.sharedPool())
        : PgPools.create(vertx, pg, "outbox-relay-" + schema, 2);
    producer = KafkaClients.producer(vertx, kafka,
        "outbox-relay-" + schema + "-" + UUID.randomUUID().toString().substring(0, 8));
    producerMetrics = KafkaClients.meter(producer, registry);
    producer.exceptionHandler(err -> { });  // each send's failure is handled through its future
    rows = new OutboxRows(schema);
    metrics = new OutboxMetrics(meterRegistry(), schema);
    publisher = new BatchPublisher(rows, producer, Topics.of(kafka), metrics, 2L * kafka.requestTimeoutMs() + 5000);
    listener = new NotifyListener(vertx, context, PgPools.connectOptions(pg,
        (settings.sharedPool() != null ? settings.sharedPool() : "outbox-relay-" + schema) + "-listen"),
        Outbox.channel(schema), this::wake);
    listener.start();
    pollTimer = vertx.setPeriodic(settings.pollInterval().toMillis(), t -> {
      refreshPending();
      wake();
    });
    cleanupTimer = vertx.setPeriodic(60_000, 3_600_000, t -> deleteOldSentRows());
    refreshPending();
    wake();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    for (long timer : new long[] {backoffTimer, pollTimer, cleanupTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    listener.close();
    // Let a batch in flight commit what Kafka acknowledged (else it goes out again after a restart),
    // but never hold up a shutdown for a broker that is away.
    Future<?> running = inFlight == null ? Future.succeededFuture() : inFlight.timeout(5, TimeUnit.SECONDS);
    return running.eventually(() -> producer.close(1000))
        .eventually(() -> {
          KafkaClients.closeQuietly(producerMetrics);
          return pool.close();
        });
  }

  private MeterRegistry meterRegistry() {
    if (registry != null) {
      return registry;
    }
    MeterRegistry fallback = BackendRegistries.getDefaultNow();
    return fallback != null ? fallback : new SimpleMeterRegistry();
  }

  /** Runs a batch now, or right after the running one; does nothing while backing off. */
  private void wake() {
    if (stopped || backoffTimer >= 0) {
      return;
    }
    if (inFlight != null) {
      again = true;
      return;
    }
    again = false;
    // Assign first, then hop back to this context for the outcome. Written as
    // `inFlight = publishBatch(..).onComplete(this::afterBatch)`, a batch that completed before the
    // assignment (at once, or on the pool connection's own event loop while this thread was
    // descheduled) ran afterBatch first, and the assignment then left a completed future in
    // inFlight: every later wake() only set `again`, and the relay never published again, silently
    // (the postgres-down drill saw it: auth's outbox stopped ~10 s after PostgreSQL came back).
    Future<BatchPublisher.Result> batch = publisher.publishBatch(pool, settings.batchSize());
    inFlight = batch;
    batch.onComplete(ar -> context.runOnContext(v -> afterBatch(ar)));
  }

  private void afterBatch(AsyncResult<BatchPublisher.Result> ar) {
    inFlight = null;
    if (stopped) {
      return;
    }
    // Rows refused for good are parked, not failed: they never make the relay back off. Rows that
    // failed for now only do when nothing else went through, so one bad topic cannot slow the rest.
    if (ar.failed() || ar.result().failed() > 0 && ar.result().sent() == 0 && ar.result().parked() == 0) {
      failures++;
      long delay = backoff(failures);
      String why = ar.failed() ? ar.cause().toString() : ar.result().failed() + " row(s) not acknowledged: "
          + ar.result().error();
      if (failures == 1 || failures % 20 == 0) {
        LOG.warn("outbox {}: publish attempt {} failed ({}); retrying in {} ms", settings.schema(), failures, why,
            delay);
      }
      backoffTimer = vertx.setTimer(delay, t -> {
        backoffTimer = -1;
        wake();
      });
      return;
    }
    if (failures > 0) {
      LOG.info("outbox {}: publishing again after {} failed attempt(s)", settings.schema(), failures);
      failures = 0;
    }
    if (ar.result().parked() > 0) {
      refreshPending();
    }
    if (ar.result().sent() > 0 || ar.result().parked() > 0 || again) {
      wake();  // the next row of a key becomes eligible once the one before it is committed as sent
    } else {
      refreshPending();
    }
  }

  long backoff(int attempt) {
    long min = Math.max(1, settings.minBackoff().toMillis());
    long delay = min << Math.min(attempt - 1, 20);
    return Math.min(delay, settings.maxBackoff().toMillis());
  }

  private void refreshPending() {
    rows.countBacklog(pool).onSuccess(backlog -> {
      metrics.pending(new OutboxMetrics.Pending(backlog.pending(), backlog.oldestPendingAgeSeconds()));
      metrics.parkedNow(backlog.parked());
    });
  }

  private void deleteOldSentRows() {
    rows.deleteSentBefore(pool, settings.retention().toSeconds())
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("outbox {}: removed {} row(s) sent more than {} ago", settings.schema(), n, settings.retention());
          }
        });
  }
}
