package io.shutterbus.events;

import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Publishes one batch of outbox rows inside one transaction: claim (row locks), send, wait for the
 * broker's acknowledgements, mark the acknowledged rows sent, commit. A row is marked sent only
 * after Kafka acked it; if the commit itself is lost the row goes out again later, which consumers
 * absorb by event id (at-least-once, never at-most-once).
 */
final class BatchPublisher {
  /** What one batch did. */
  record Result(int claimed, int sent, int failed, String error) {
    static final Result EMPTY = new Result(0, 0, 0, null);
  }

  private record Outcome(List<Long> sent, List<Long> failed, String error) {
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
            .map(v -> new Result(claimed.size(), o.sent().size(), o.failed().size(), o.error())))));
  }

  /**
   * Fetches the topics' metadata first: with the broker away that fails once, after at most one
   * request timeout, instead of once per record on the producer's single worker thread.
   */
  private Future<Outcome> send(List<OutboxRows.Pending> batch) {
    Set<String> names = new LinkedHashSet<>();
    batch.forEach(p -> names.add(topics.name(p.topic())));
    List<Future<?>> metadata = names.stream().<Future<?>>map(producer::partitionsFor).toList();
    return Future.all(metadata).timeout(sendTimeoutMs, TimeUnit.MILLISECONDS).transform(ar -> {
      if (ar.failed()) {
        List<Long> ids = batch.stream().map(OutboxRows.Pending::id).toList();
        metrics.failed(ids.size());
        return Future.succeededFuture(new Outcome(List.of(), ids, describe(ar.cause())));
      }
      return sendAll(batch);
    });
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
      String error = null;
      for (int i = 0; i < batch.size(); i++) {
        Future<RecordMetadata> ack = acks.get(i);
        if (ack.succeeded()) {
          sent.add(batch.get(i).id());
        } else {
          failed.add(batch.get(i).id());
          error = error != null ? error : describe(ack.cause());
        }
      }
      metrics.failed(failed.size());
      return Future.succeededFuture(new Outcome(sent, failed, error));
    });
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
