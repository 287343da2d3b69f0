package io.shutterbus.image;

import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads what the services wrote to Kafka, per image, and what a consumer group has committed. */
final class TopicReader {
  private final String bootstrap;
  private final String prefix;
  private final Settled settled;

  TopicReader(String bootstrap, String prefix) {
    this(bootstrap, prefix, null);
  }

  /** Counts only once {@code settled} holds (outbox drained, groups caught up): see {@link Settled}. */
  TopicReader(String bootstrap, String prefix, Settled settled) {
    this.bootstrap = bootstrap;
    this.prefix = prefix;
    this.settled = settled;
  }

  String topic(String name) {
    return prefix + name;
  }

  /**
   * The records of {@code key} on the topic once there are at least {@code expected}; then, with a
   * {@link Settled}, every one on the topic once the pipeline is at rest (a duplicate cannot hide),
   * else any arriving within a second.
   */
  List<ConsumerRecord<String, String>> byKey(String name, String key, int expected) {
    return byKey(name, key, expected, Duration.ofSeconds(60));
  }

  List<ConsumerRecord<String, String>> byKey(String name, String key, int expected, Duration timeout) {
    List<ConsumerRecord<String, String>> read = TestKafka.readUntil(bootstrap, topic(name),
            records -> records.stream().filter(r -> key.equals(r.key())).count() >= expected, timeout,
            settled == null ? Duration.ofSeconds(1) : Duration.ZERO);
    if (settled != null) {
      settled.await(Duration.ofSeconds(60));
      read = TestKafka.readToEnd(bootstrap, topic(name));
    }
    return read.stream().filter(r -> key.equals(r.key())).toList();
  }

  /** Waits until {@code group} has committed past {@code record}: it was handled, effect and all. */
  void awaitConsumed(String group, ConsumerRecord<?, ?> record, Duration timeout) throws Exception {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (System.nanoTime() < deadline) {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS).get(tp);
        if (committed != null && committed.offset() > record.offset()) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError(group + " did not commit past " + tp + "@" + record.offset() + " within " + timeout);
  }

  /** Moves {@code group}'s committed offset back to {@code record}, as if it had never been committed (group must be empty). */
  void rewind(String group, ConsumerRecord<?, ?> record) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (int attempt = 1; ; attempt++) {
        try {
          admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset()))).all().get(30, TimeUnit.SECONDS);
          return;
        } catch (java.util.concurrent.ExecutionException stillMembers) {
          if (attempt == 50) {
            throw stillMembers;
          }
          Thread.sleep(200);  // the stopped worker's members are still leaving the group
        }
      }
    }
  }
}
