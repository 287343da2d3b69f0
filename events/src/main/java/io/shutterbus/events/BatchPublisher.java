package io.shutterbus.events;

import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one batch of outbox rows inside one transaction: claim (row locks), send, wait for the
 * broker's acknowledgements, mark the acknowledged rows sent, park the rows Kafka refused for good,
 * commit. A row is marked sent only after Kafka acked it; if the commit itself is lost the row goes
 * out again later, which consumers absorb by event id (at-least-once, never at-most-once).
 */
final class BatchPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);

  /** What one batch did. {@code failed} rows stay in line and are retried; parked rows leave it. */
  record Result(int claimed, int sent, int failed, int parked, String error) {
    static final Result EMPTY = new Result(0, 0, 0, 0, null);
  }

  /** Per-row outcomes of one batch; parked rows grouped by their reason. */
  private record Outcome(List<Long> sent, List<Long> failed, Map<String, List<Long>> parked, String error) {
    int parkedRows() {
      return parked.values().stream().mapToInt(List::size).sum();
    }
  }

  private final OutboxRows rows;
  private final KafkaProducer<String, String> producer;
  private final Topics topics;
  private final OutboxMetrics metrics;
  private final long sendTimeoutMs;

  BatchPublisher(OutboxRows rows, KafkaProducer<String, String> producer, Topics topics, OutboxMetrics metrics,
                 long sendTimeoutMs) {
    this.rows = rows;
    this.producer = producer;
    this.topics = topics;
    this.metrics = metrics;
    this.sendTimeoutMs = sendTimeoutMs;
  }

  Future<Result> publishBatch(Pool pool, int limit) {
    return pool.withTransaction(tx -> rows.claim(tx, limit).compose(claimed -> claimed.isEmpty()
        ? Future.succeededFuture(Result.EMPTY)
        : send(claimed).compose(o -> rows.markSent(tx, o.sent())
            .compose(v -> rows.markFailed(tx, o.failed(), o.error()))
            .compose(v -> park(tx, o.parked()))
            .map(v -> {
              metrics.parked(o.parkedRows());
              return v;
            })
            .map(v -> new Result(claimed.size(), o.sent().size(), o.failed().size(), o.parkedRows(), o.error())))));
  }

  private Future<Void> park(SqlConnection tx, Map<String, List<Long>> parked) {
    Future<Void> done = Future.succeededFuture();
    for (Map.Entry<String, List<Long>> e : parked.entrySet()) {
      LOG.warn("outbox: parking row(s) {}, Kafka refused them for good: {} (re-drive: see events/README.md)",
          e.getValue(), e.getKey());
      done = done.compose(v -> rows.park(tx, e.getValue(), e.getKey()));
    }
    return done;
  }

  /**
   * Fetches each topic's metadata first, one future per topic: with the broker away that fails
   * once, after at most one request timeout, instead of once per record on the producer's single
   * worker thread; and a topic Kafka refuses holds up only its own rows, not the batch.
   */
  private Future<Outcome> send(List<OutboxRows.Pending> batch) {
    Map<String, List<OutboxRows.Pending>> byTopic = new LinkedHashMap<>();
    batch.forEach(p -> byTopic.computeIfAbsent(topics.name(p.topic()), t -> new ArrayList<>()).add(p));
    Map<String, Future<?>> metadata = new LinkedHashMap<>();
    byTopic.keySet().forEach(t -> metadata.put(t, producer.partitionsFor(t).timeout(sendTimeoutMs,
        TimeUnit.MILLISECONDS)));
    return Future.join(List.copyOf(metadata.values())).transform(ignored -> {
      List<OutboxRows.Pending> sendable = new ArrayList<>();
      Map<String, Throwable> refusedTopics = new LinkedHashMap<>();
      metadata.forEach((topic, md) -> {
        if (md.succeeded()) {
          sendable.addAll(byTopic.get(topic));
        } else {
          refusedTopics.put(topic, md.cause());
        }
      });
      // Sends keep the batch's id order within each topic, which is all a key needs.
      sendable.sort((a, b) -> Long.compare(a.id(), b.id()));
      return sendAll(sendable).map(o -> withTopicFailures(o, byTopic, refusedTopics));
    });
  }

  /**
   * Adds the rows whose topic had no metadata. Refused for good (invalid name, not authorised):
   * parked. "Not present in metadata": an unknown topic if the broker acknowledged other rows of
   * this batch meanwhile (parked), else probably a broker that is away (retried with backoff).
   */
  private Outcome withTopicFailures(Outcome o, Map<String, List<OutboxRows.Pending>> byTopic,
                                           Map<String, Throwable> refusedTopics) {
    if (refusedTopics.isEmpty()) {
      return o;
    }
    List<Long> failed = new ArrayList<>(o.failed());
    Map<String, List<Long>> parked = new LinkedHashMap<>(o.parked());
    String error = o.error();
    boolean brokerAnswered = !o.sent().isEmpty();
    for (Map.Entry<String, Throwable> e : refusedTopics.entrySet()) {
      Throwable cause = e.getValue();
      List<Long> ids = byTopic.get(e.getKey()).stream().map(OutboxRows.Pending::id).toList();
      if (PermanentRejection.of(cause)) {
        parked.computeIfAbsent("topic " + e.getKey() + ": " + PermanentRejection.describe(cause),
            r -> new ArrayList<>()).addAll(ids);
      } else if (brokerAnswered && PermanentRejection.missingMetadata(cause)) {
        parked.computeIfAbsent("topic " + e.getKey() + " is unknown to the broker (it acknowledged other topics): "
            + PermanentRejection.describe(cause), r -> new ArrayList<>()).addAll(ids);
      } else {
        failed.addAll(ids);
        error = error != null ? error : "topic " + e.getKey() + ": " + PermanentRejection.describe(cause);
      }
    }
    metrics.failed(failed.size() - o.failed().size());
    return new Outcome(o.sent(), failed, parked, error);
  }

  /** Sends in id order; the idempotent producer keeps that order within each partition. */
  private Future<Outcome> sendAll(List<OutboxRows.Pending> batch) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    for (OutboxRows.Pending p : batch) {
      long started = System.nanoTime();
      acks.add(producer.send(EventEnvelope.record(topics.name(p.topic()), p.key(), p.headers(), p.payload()))
          .timeout(sendTimeoutMs, TimeUnit.MILLISECONDS)
          .onSuccess(md -> metrics.published(Duration.ofNanos(System.nanoTime() - started))));
    }
    return Future.join(acks).transform(done -> {
      List<Long> sent = new ArrayList<>();
      List<Long> failed = new ArrayList<>();
      Map<String, List<Long>> parked = new LinkedHashMap<>();
      String error = null;
      for (int i = 0; i < batch.size(); i++) {
        Future<RecordMetadata> ack = acks.get(i);
        long id = batch.get(i).id();
        if (ack.succeeded()) {
          sent.add(id);
        } else if (PermanentRejection.of(ack.cause())) {
          parked.computeIfAbsent(PermanentRejection.describe(ack.cause()), r -> new ArrayList<>()).add(id);
        } else {
          failed.add(id);
          error = error != null ? error : PermanentRejection.describe(ack.cause());
        }
      }
      metrics.failed(failed.size());
      return Future.succeededFuture(new Outcome(sent, failed, parked, error));
    });
  }
}
