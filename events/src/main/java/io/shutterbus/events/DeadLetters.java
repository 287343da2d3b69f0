package io.shutterbus.events;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record its consumer gave up on (poison, unreadable, or still failing after bounded
 * retries) to the consumer's dead-letter topic ({@code <group>.dlq}; {@code images.uploaded.dlq}
 * for image-worker): key, value and headers unchanged (so {@code events replay} can re-drive it as it was), plus the
 * error in {@code dlq_*} headers (those of an earlier dead-lettering are replaced). The producer is
 * idempotent with acks=all; the consumer commits the record's offset only after this succeeded,
 * so a dead letter is never lost (and, after a crash in between, at most written twice).
 */
public final class DeadLetters {
  public static final String ERROR = "dlq_error";
  public static final String ERROR_CLASS = "dlq_error_class";
  public static final String FAILED_AT = "dlq_failed_at";
  public static final String SOURCE_TOPIC = "dlq_source_topic";
  public static final String SOURCE_PARTITION = "dlq_source_partition";
  public static final String SOURCE_OFFSET = "dlq_source_offset";
  public static final String CONSUMER_GROUP = "dlq_consumer_group";
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_ERROR_LENGTH = 1000;

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final String group;
  private final long timeoutMs;
  private final Runnable counted;

  public DeadLetters(KafkaProducer<String, String> producer, String topic, String group, long timeoutMs,
                     Runnable counted) {
    this.producer = producer;
    this.topic = topic;
    this.group = group;
    this.timeoutMs = timeoutMs;
    this.counted = counted;
  }

  public Future<Void> send(KafkaConsumerRecord<String, String> record, Throwable reason) {
    Throwable error = reason instanceof PoisonEventException && reason.getCause() != null ? reason.getCause() : reason;
    KafkaProducerRecord<String, String> dead = KafkaProducerRecord.create(topic, record.key(), record.value());
    for (KafkaHeader h : record.headers()) {
      if (!h.key().startsWith("dlq_") && h.value() != null) {
        dead.addHeader(h.key(), h.value());
      }
    }
    String message = reason.getMessage() == null ? error.getClass().getSimpleName() : reason.getMessage();
    dead.addHeader(ERROR, truncate(message))
        .addHeader(ERROR_CLASS, error.getClass().getName())
        .addHeader(FAILED_AT, Instant.now().toString())
        .addHeader(SOURCE_TOPIC, record.topic())
        .addHeader(SOURCE_PARTITION, Integer.toString(record.partition()))
        .addHeader(SOURCE_OFFSET, Long.toString(record.offset()))
        .addHeader(CONSUMER_GROUP, group);
    return producer.send(dead).timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onSuccess(md -> {
          counted.run();
          LOG.warn("{}: event {}/{}@{} (key {}) dead-lettered to {}/{}@{}: {}", group, record.topic(),
              record.partition(), record.offset(), record.key(), md.getTopic(), md.getPartition(), md.getOffset(),
              message);
        })
        .mapEmpty();
  }

  private static Buffer truncate(String text) {
    return Buffer.buffer(text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text);
  }
}
