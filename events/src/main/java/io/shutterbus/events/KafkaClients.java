package io.shutterbus.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.shutterbus.kit.config.KafkaSettings;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings every Shutterbus producer and consumer uses. Durability settings are set
 * explicitly rather than left to version-dependent defaults: producers wait for all in-sync
 * replicas and are idempotent; consumers never auto-commit and commit exactly what they handled.
 */
public final class KafkaClients {
  private KafkaClients() {
  }

  /**
   * acks=all, idempotence on. A send fails after {@code 2 x request timeout} instead of the default
   * two minutes, and a missing topic or broker blocks a worker thread at most one request timeout:
   * the outbox holds the event and retries, so failing early is safe.
   */
  public static Map<String, String> producerConfig(KafkaSettings kafka, String clientId) {
    Map<String, String> c = kafka.clientConfig(clientId);
    c.put("key.serializer", StringSerializer.class.getName());
    c.put("value.serializer", StringSerializer.class.getName());
    c.put("acks", "all");
    c.put("enable.idempotence", "true");
    c.put("max.in.flight.requests.per.connection", "5");
    c.put("retries", String.valueOf(Integer.MAX_VALUE));
    c.put("linger.ms", "5");
    c.put("max.block.ms", String.valueOf(kafka.requestTimeoutMs()));
    c.put("delivery.timeout.ms", String.valueOf(2L * kafka.requestTimeoutMs() + 5));
    return c;
  }

  /** Manual commits only ({@link #commit}), starting from the earliest offset for a new group. */
  public static Map<String, String> consumerConfig(KafkaSettings kafka, String clientId, String groupId) {
    Map<String, String> c = kafka.clientConfig(clientId);
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", StringDeserializer.class.getName());
    c.put("group.id", groupId);
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    c.put("max.poll.records", "100");
    c.put("session.timeout.ms", String.valueOf(kafka.sessionTimeoutMs()));
    c.put("heartbeat.interval.ms", String.valueOf(kafka.sessionTimeoutMs() / 3));
    return c;
  }

  public static KafkaProducer<String, String> producer(Vertx vertx, KafkaSettings kafka, String clientId) {
    return KafkaProducer.create(vertx, producerConfig(kafka, clientId));
  }

  public static KafkaConsumer<String, String> consumer(Vertx vertx, KafkaSettings kafka, String clientId,
                                                       String groupId) {
    return KafkaConsumer.create(vertx, consumerConfig(kafka, clientId, groupId));
  }

  /**
   * Publishes the Kafka client's own metrics (request latency, record send and error rates,
   * consumer lag, connections...) as {@code kafka_producer_*} / {@code kafka_consumer_*} to
   * {@code registry}, or to Vert.x's backend registry when null. Close the handle with the client.
   */
  public static AutoCloseable meter(KafkaProducer<?, ?> producer, MeterRegistry registry) {
    return bind(new KafkaClientMetrics(producer.unwrap()), registry);
  }

  public static AutoCloseable meter(KafkaConsumer<?, ?> consumer, MeterRegistry registry) {
    return bind(new KafkaClientMetrics(consumer.unwrap()), registry);
  }

  private static AutoCloseable bind(KafkaClientMetrics metrics, MeterRegistry registry) {
    MeterRegistry target = registry != null ? registry : BackendRegistries.getDefaultNow();
    if (target == null) {
      metrics.close();
      return () -> { };
    }
    metrics.bindTo(target);
    return metrics;
  }

  /** Closes a {@link #meter} handle, never failing the caller's shutdown. */
  public static void closeQuietly(AutoCloseable handle) {
    if (handle == null) {
      return;
    }
    try {
      handle.close();
    } catch (Exception ignored) {
      // only meters: nothing to save at shutdown
    }
  }

  /**
   * Commits exactly this record (offset + 1 on its partition). Call it after the side effect; the
   * no-argument {@code commit()} would commit the whole fetched batch, handled or not.
   */
  public static Future<Void> commit(KafkaConsumer<String, String> consumer, KafkaConsumerRecord<String, String> record) {
    return consumer.commit(Map.of(new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1, ""))).mapEmpty();
  }
}
