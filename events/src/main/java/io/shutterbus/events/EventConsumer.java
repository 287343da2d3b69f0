package io.shutterbus.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.http.FailureHandler;
import io.shutterbus.kit.run.Shutdown;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once consumption of catalogue events, one record at a time per consumer: the handler
 * runs, and only after its side effect succeeded is exactly that record committed (offset + 1).
 *
 * <ul>
 *   <li>A failure is retried with capped exponential backoff, at most {@link Retry#maxAttempts}
 *       times (without limit while the database is unavailable: that is no fault of the event); then, like a {@link PoisonEventException} or an unreadable event at once, the record
 *       goes to the {@link PoisonHandler} (the consumer's dead-letter topic) and is committed, so one
 *       event never blocks its partition for good.</li>
 *   <li>The consumer keeps polling while a record is handled, so a long retry never exceeds
 *       {@code max.poll.interval.ms} and the consumer takes part in rebalances. Records fetched
 *       meanwhile wait in memory; once {@link #QUEUE_HIGH} of them wait, the partitions are paused
 *       at the Kafka level until the queue is empty again.</li>
 *   <li>Latency: the Vert.x client runs commits, pauses and resumes on its one polling thread
 *       between polls, so each waited for the poll in progress (1 s by default when nothing
 *       arrives). Here the poll timeout is {@link #POLL_TIMEOUT}, a commit is sent without holding
 *       up the next record (commits of one consumer go out in order on that thread, each after its
 *       record's effect), and a few waiting records cause no pause/resume round trips.</li>
 *   <li>Partitions revoked: records of them not yet handled are dropped, a record of them that is
 *       waiting to be retried is given up (not committed: the new owner handles it), and one whose
 *       handler is running is not committed either.</li>
 *   <li>Stop: no new record starts; a record whose handler is running finishes and is committed
 *       (for at most {@link #STOP_GRACE}) before the consumer leaves the group.</li>
 * </ul>
 * Handlers must be idempotent: a redelivery after a crash or rebalance must change nothing.
 */
public final class EventConsumer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
  static final Duration STOP_GRACE = Duration.ofSeconds(5);
  /** How long one poll may wait for records; tasks queued behind it (commit, pause, resume) wait as long. */
  static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
  /** Records waiting in memory at which fetching is paused (max.poll.records more may still come). */
  static final int QUEUE_HIGH = 16;

  /** The side effect of one event. */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(EventEnvelope event, KafkaConsumerRecord<String, String> record);
  }

  /** What to do with an event the consumer gives up on; the record is committed after it succeeds. */
  @FunctionalInterface
  public interface PoisonHandler {
    Future<Void> poisoned(KafkaConsumerRecord<String, String> record, Throwable reason);
  }

  /** Attempts per event before it is dead-lettered, and the backoff between them (doubling, capped). */
  public record Retry(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    public Retry {
      if (maxAttempts < 1 || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
        throw new IllegalArgumentException("invalid consumer retry settings");
      }
    }

    /** 8 attempts, 200 ms doubling up to {@code maxBackoff}: about 35 s with a 10 s cap. */
    public static Retry upTo(Duration maxBackoff) {
      return new Retry(8, Duration.ofMillis(200), maxBackoff);
    }

    long delayAfter(int attempt) {
      return Math.min(maxBackoff.toMillis(), Math.max(1, firstBackoff.toMillis()) << Math.min(attempt - 1, 20));
    }
  }

  private final KafkaSettings kafka;
  private final String groupId;
  private final Set<String> topicNames;
  private final Handler handler;
  private final String deadLetterTopic;
  private final Retry retry;
  private final MeterRegistry registry;
  private PoisonHandler poison;
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> deadLetterProducer;
  private AutoCloseable consumerMetrics;
  private ConsumerMetrics metrics;
  private final ArrayDeque<KafkaConsumerRecord<String, String>> queue = new ArrayDeque<>();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private KafkaConsumerRecord<String, String> current;
  private boolean currentRevoked;
  private boolean handlerRunning;
  private long retryTimer = -1;
  private boolean fetchPaused;
  private boolean stopping;
  /** The last commit sent; stop waits for it, so the consumer is not closed while a commit runs. */
  private Future<Void> lastCommit = Future.succeededFuture();
  private Promise<Void> idle;

  /**
   * Dead-letters to {@code deadLetterTopic} (unprefixed catalogue name; see {@link Topics}).
   *
   * @param topics unprefixed catalogue names; the settings' prefix is applied here
   */
  public EventConsumer(KafkaSettings kafka, String groupId, Set<String> topics, Handler handler,
                       String deadLetterTopic, Retry retry, MeterRegistry registry) {
    this(kafka, groupId, topics, handler, null, deadLetterTopic, retry, registry);
  }

  /** Hands events it gives up on to {@code poison} (which must not fail for good: it is retried). */
  public EventConsumer(KafkaSettings kafka, String groupId, Set<String> topics, Handler handler,
                       PoisonHandler poison, Retry retry, MeterRegistry registry) {
    this(kafka, groupId, topics, handler, poison, null, retry, registry);
  }

  private EventConsumer(KafkaSettings kafka, String groupId, Set<String> topics, Handler handler, PoisonHandler poison,
                        String deadLetterTopic, Retry retry, MeterRegistry registry) {
    this.kafka = kafka;
    this.groupId = groupId;
    Topics names = Topics.of(kafka);
    this.topicNames = Set.copyOf(topics.stream().map(names::name).toList());
    this.handler = handler;
    this.poison = poison;
    this.deadLetterTopic = deadLetterTopic == null ? null : names.name(deadLetterTopic);
    this.retry = retry;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    metrics = new ConsumerMetrics(registry, groupId);
    if (deadLetterTopic != null) {
      deadLetterProducer = KafkaClients.producer(vertx, kafka,
          groupId + "-dlq-" + UUID.randomUUID().toString().substring(0, 8));
      deadLetterProducer.exceptionHandler(err -> { });  // each send's failure is handled through its future
      poison = new DeadLetters(deadLetterProducer, deadLetterTopic, groupId, 2L * kafka.requestTimeoutMs() + 5000,
          () -> { })::send;
    }
    Shutdown.enrol(vertx, Shutdown.Stage.CONSUMERS);
    consumer = KafkaClients.consumer(vertx, kafka, groupId + "-" + deploymentID(), groupId);
    consumer.pollTimeout(POLL_TIMEOUT);
    consumerMetrics = KafkaClients.meter(consumer, registry);
    consumer.exceptionHandler(err -> LOG.warn("{}: consumer error: {}", groupId, err.toString()));
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
    consumer.handler(this::arrived);
    return consumer.subscribe(topicNames);
  }

  private void arrived(KafkaConsumerRecord<String, String> record) {
    if (stopping) {
      return;  // not committed: the next owner of the partition gets it
    }
    queue.add(record);
    if (current == null) {
      next();
    } else if (queue.size() >= QUEUE_HIGH) {
      pauseFetching();
    }
  }

  private void next() {
    current = queue.poll();
    currentRevoked = false;
    if (current == null) {
      resumeFetching();
      if (idle != null) {
        idle.tryComplete();
      }
      return;
    }
    attempt(current, 1);
  }

  private void attempt(KafkaConsumerRecord<String, String> record, int attempt) {
    retryTimer = -1;
    if (stopping || currentRevoked) {
      giveUp(record);
      return;
    }
    Future<Void> effect;
    try {
      effect = handler.handle(EventEnvelope.fromRecord(record), record);
    } catch (RuntimeException e) {
      effect = Future.failedFuture(e);
    }
    handlerRunning = true;
    effect.onComplete(ar -> {
      handlerRunning = false;
      if (ar.succeeded()) {
        metrics.handled();
        commitAndNext(record);
      } else if (ar.cause() instanceof InvalidEventException || ar.cause() instanceof PoisonEventException) {
        metrics.poisoned();
        deadLetter(record, ar.cause(), 1);
      } else if (attempt >= retry.maxAttempts() && !FailureHandler.isDatabaseUnavailable(ar.cause())) {
        metrics.exhausted();
        LOG.warn("{}: event {}/{}@{} still failing after {} attempts, dead-lettering it: {}", groupId, record.topic(),
            record.partition(), record.offset(), attempt, ar.cause().toString());
        deadLetter(record, ar.cause(), 1);
      } else {
        // The database being away is not the event's fault: it is retried at the capped backoff until
        // the database is back, never dead-lettered (a 60 s postgres-down drill saw accepted images
        // dead-lettered off their owners' profiles after the 8 attempts' ~35 s).
        metrics.retried();
        long delay = retry.delayAfter(attempt);
        if (attempt == 1 || attempt % 20 == 0) {
          LOG.warn("{}: event {}/{}@{} failed, retrying in {} ms: {}", groupId, record.topic(), record.partition(),
              record.offset(), delay, ar.cause().toString());
        }
        retryTimer = vertx.setTimer(delay, t -> attempt(record, attempt + 1));
      }
    });
  }

  /** Dead-letters, then commits; a dead-letter topic that is away is retried (the record is kept). */
  private void deadLetter(KafkaConsumerRecord<String, String> record, Throwable reason, int attempt) {
    retryTimer = -1;
    if (stopping || currentRevoked) {
      giveUp(record);
      return;
    }
    handlerRunning = true;
    poison.poisoned(record, reason).onComplete(ar -> {
      handlerRunning = false;
      if (ar.succeeded()) {
        metrics.deadLettered();
        commitAndNext(record);
      } else {
        LOG.warn("{}: dead-lettering {}/{}@{} failed (attempt {}): {}", groupId, record.topic(), record.partition(),
            record.offset(), attempt, ar.cause().toString());
        retryTimer = vertx.setTimer(retry.delayAfter(attempt), t -> deadLetter(record, reason, attempt + 1));
      }
    });
  }

  private void commitAndNext(KafkaConsumerRecord<String, String> record) {
    if (currentRevoked) {
      giveUp(record);  // its partition has a new owner, which handles it again (idempotently)
      return;
    }
    // Not awaited: the commit runs on the client's polling thread, in order with this consumer's
    // other commits, while the next record's effect already starts; stop() waits for the last one
    // before it closes the consumer (closing meanwhile logged "not safe for multi-threaded access").
    lastCommit = KafkaClients.commit(consumer, record)
        .onFailure(err -> LOG.warn("{}: commit of {}/{}@{} failed (it will be redelivered): {}", groupId,
            record.topic(), record.partition(), record.offset(), err.toString()));
    next();
  }

  /** Leaves a record uncommitted, for whoever owns its partition next. */
  private void giveUp(KafkaConsumerRecord<String, String> record) {
    metrics.abandoned();
    LOG.info("{}: left {}/{}@{} uncommitted ({}), its next owner handles it", groupId, record.topic(),
        record.partition(), record.offset(), stopping ? "stopping" : "partition revoked");
    next();
  }

  private void assigned(Set<TopicPartition> partitions) {
    assigned.addAll(partitions);
    if (fetchPaused) {
      fetchPaused = true;
      consumer.pause(partitions);  // a new assignment starts unpaused
    }
  }

  private void revoked(Set<TopicPartition> partitions) {
    assigned.removeAll(partitions);
    queue.removeIf(r -> partitions.contains(partitionOf(r)));
    if (current != null && partitions.contains(partitionOf(current))) {
      currentRevoked = true;
      if (retryTimer >= 0 && vertx.cancelTimer(retryTimer)) {
        retryTimer = -1;
        giveUp(current);
      }
    }
  }

  private static TopicPartition partitionOf(KafkaConsumerRecord<String, String> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** Stops fetching while records wait; polling (heartbeats, rebalances) goes on. */
  private void pauseFetching() {
    if (!fetchPaused && !assigned.isEmpty()) {
      fetchPaused = true;
      consumer.pause(Set.copyOf(assigned));
    }
  }

  private void resumeFetching() {
    if (fetchPaused) {
      fetchPaused = false;
      consumer.paused().compose(paused -> paused.isEmpty() ? Future.succeededFuture() : consumer.resume(paused))
          .onFailure(err -> LOG.warn("{}: resume failed: {}", groupId, err.toString()));
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    queue.clear();
    if (consumer == null) {
      return Future.succeededFuture();
    }
    if (retryTimer >= 0 && vertx.cancelTimer(retryTimer)) {
      retryTimer = -1;
      giveUp(current);
    }
    idle = Promise.promise();
    if (current == null) {
      idle.complete();
    }
    // A handler that is running finishes and its record is committed, within a grace period.
    return idle.future().timeout(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .eventually(() -> lastCommit.timeout(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS).otherwiseEmpty())
        .eventually(() -> consumer.close())
        .eventually(() -> deadLetterProducer == null ? Future.succeededFuture() : deadLetterProducer.close(1000))
        .eventually(() -> {
          KafkaClients.closeQuietly(consumerMetrics);
          return Future.succeededFuture();
        });
  }
}
