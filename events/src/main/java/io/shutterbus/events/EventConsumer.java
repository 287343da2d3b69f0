package io.shutterbus.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.run.Shutdown;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once consumption of catalogue events, one record at a time per consumer: the consumer
 * pauses, the handler runs, and only after its side effect succeeded is exactly that record
 * committed (offset + 1). A failure is retried with capped exponential backoff (the record is never
 * skipped), except a {@link PoisonEventException} or an unreadable event, which goes to
 * {@link PoisonHandler} (log, dead-letter topic...) and is then committed so the consumer moves on.
 * Handlers must be idempotent: a redelivery after a crash or rebalance must change nothing.
 */
public final class EventConsumer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);

  /** The side effect of one event. */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(EventEnvelope event, KafkaConsumerRecord<String, String> record);
  }

  /** What to do with an event that can never be handled; the record is committed after it succeeds. */
  @FunctionalInterface
  public interface PoisonHandler {
    Future<Void> poisoned(KafkaConsumerRecord<String, String> record, Throwable reason);
  }

  private final KafkaSettings kafka;
  private final String groupId;
  private final Set<String> topicNames;
  private final Handler handler;
  private final PoisonHandler poison;
  private final Duration maxBackoff;
  private final MeterRegistry registry;
  private KafkaConsumer<String, String> consumer;
  private AutoCloseable consumerMetrics;
  private Counter handled;
  private Counter retried;
  private Counter poisoned;
  private boolean stopping;
  /** The record being handled, completed once its commit is done (or given up at stop). */
  private Promise<Void> inFlight;
  private long retryTimer = -1;

  /**
   * @param topics unprefixed catalogue names; the settings' prefix is applied here
   */
  public EventConsumer(KafkaSettings kafka, String groupId, Set<String> topics, Handler handler,
                       PoisonHandler poison, Duration maxBackoff, MeterRegistry registry) {
    this.kafka = kafka;
    this.groupId = groupId;
    Topics names = Topics.of(kafka);
    this.topicNames = Set.copyOf(topics.stream().map(names::name).toList());
    this.handler = handler;
    this.poison = poison;
    this.maxBackoff = maxBackoff;
    this.registry = registry;
  }

  /** A poison handler that logs the event's coordinates (never its payload) and moves on. */
  public static PoisonHandler logAndSkip(String consumerName) {
    return (record, reason) -> {
      LOG.error("{}: skipping unprocessable event {}/{}@{}: {}", consumerName, record.topic(), record.partition(),
          record.offset(), reason.getMessage());
      return Future.succeededFuture();
    };
  }

  @Override
  public Future<?> start() {
    if (registry != null) {
      handled = Counter.builder("shutterbus.consumer.events").tag("group", groupId).tag("outcome", "handled")
          .register(registry);
      retried = Counter.builder("shutterbus.consumer.events").tag("group", groupId).tag("outcome", "retried")
          .register(registry);
      poisoned = Counter.builder("shutterbus.consumer.events").tag("group", groupId).tag("outcome", "poisoned")
          .register(registry);
    }
    Shutdown.enrol(vertx, Shutdown.Stage.CONSUMERS);
    consumer = KafkaClients.consumer(vertx, kafka, groupId + "-" + deploymentID(), groupId);
    consumerMetrics = KafkaClients.meter(consumer, registry);
    consumer.exceptionHandler(err -> LOG.warn("{}: consumer error: {}", groupId, err.toString()));
    consumer.handler(record -> {
      consumer.pause();
      inFlight = Promise.promise();
      attempt(record, 0);
    });
    return consumer.subscribe(topicNames);
  }

  private void attempt(KafkaConsumerRecord<String, String> record, int failures) {
    retryTimer = -1;
    if (stopping) {
      settle();  // not committed: the group hands the record out again after the restart
      return;
    }
    Future<Void> effect;
    try {
      EventEnvelope event = EventEnvelope.fromRecord(record);
      effect = handler.handle(event, record);
    } catch (InvalidEventException | PoisonEventException e) {
      effect = Future.failedFuture(e);
    } catch (RuntimeException e) {
      effect = Future.failedFuture(e);
    }
    effect.onSuccess(v -> {
      count(handled);
      commitAndResume(record);
    }).onFailure(err -> {
      if (err instanceof InvalidEventException || err instanceof PoisonEventException) {
        count(poisoned);
        poison.poisoned(record, err)
            .onSuccess(v -> commitAndResume(record))
            .onFailure(e2 -> retryLater(record, failures, e2));
      } else {
        retryLater(record, failures, err);
      }
    });
  }

  private void retryLater(KafkaConsumerRecord<String, String> record, int failures, Throwable err) {
    if (stopping) {
      settle();  // not committed: it is retried after the restart
      return;
    }
    count(retried);
    long delay = Math.min(maxBackoff.toMillis(), 200L << Math.min(failures, 10));
    if (failures == 0 || failures % 10 == 0) {
      LOG.warn("{}: event {}/{}@{} failed (attempt {}), retrying in {} ms: {}", groupId, record.topic(),
          record.partition(), record.offset(), failures + 1, delay, err.toString());
    }
    retryTimer = vertx.setTimer(delay, t -> attempt(record, failures + 1));
  }

  private void commitAndResume(KafkaConsumerRecord<String, String> record) {
    KafkaClients.commit(consumer, record)
        .onFailure(err -> LOG.warn("{}: commit of {}/{}@{} failed (it will be redelivered): {}", groupId,
            record.topic(), record.partition(), record.offset(), err.toString()))
        .onComplete(ar -> {
          settle();
          if (!stopping) {
            consumer.resume();
          }
        });
  }

  private void settle() {
    if (inFlight != null) {
      inFlight.tryComplete();
      inFlight = null;
    }
  }

  private static void count(Counter c) {
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (retryTimer >= 0 && vertx.cancelTimer(retryTimer)) {
      settle();  // waiting to retry: nothing is half done
    }
    // A record being handled finishes and commits first, so its side effect is not repeated after a restart.
    Future<Void> running = inFlight == null ? Future.succeededFuture()
        : inFlight.future().timeout(5, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
    return consumer == null ? Future.succeededFuture()
        : running.eventually(() -> consumer.close()).eventually(() -> {
          KafkaClients.closeQuietly(consumerMetrics);
          return Future.succeededFuture();
        });
  }
}
