package io.shutterbus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EventConsumer against the real broker: bounded retries, dead letters, rebalances while busy, clean stop. */
@ExtendWith({VertxExtension.class, InfraExtension.class})
class EventConsumerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 60 s", e);
    }
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  /** A fresh prefix, so each test has topics and groups of its own. */
  private static KafkaSettings kafka(Infra infra) {
    return new KafkaSettings(infra.bootstrapServers(), infra.topicPrefix() + UUID.randomUUID().toString().substring(0, 6)
        + ".", 3000);
  }

  /** Publishes a users.registered event keyed {@code key} to {@code partition}; null headers: unreadable. */
  private static void publish(String bootstrap, String topic, int partition, String key, boolean readable) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      UUID id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
      EventEnvelope e = EventEnvelope.of(new UserRegistered(id, "u@example.com", "U", Instant.now()), "/test");
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, key, readable ? e.value() : "{not json");
      if (readable) {
        e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception ex) {
      throw new AssertionError("publish failed", ex);
    }
  }

  private static long committed(Infra infra, String group, String topic, int partition) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
      OffsetAndMetadata om = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, partition));
      return om == null ? -1 : om.offset();
    }
  }

  @Test
  void aFailureThatPersistsIsDeadLetteredAfterBoundedRetriesAndThePartitionMovesOn(Vertx vertx, Infra infra)
      throws Exception {
    KafkaSettings kafka = kafka(infra);
    Topics topics = Topics.of(kafka);
    String source = topics.name(Topics.USERS_REGISTERED);
    String dlq = topics.name(Topics.IMAGE_DLQ);
    infra.createTopics(List.of(source, dlq), 1);
    List<String> handled = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String group = "bounded-" + UUID.randomUUID();
    await(vertx.deployVerticle(new EventConsumer(kafka, group, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> {
          if (record.key().equals("always-fails")) {
            return Future.failedFuture(new IllegalStateException("database says no"));
          }
          handled.add(record.key());
          return Future.succeededFuture();
        },
        Topics.IMAGE_DLQ, new EventConsumer.Retry(3, Duration.ofMillis(20), Duration.ofMillis(50)), registry)));

    publish(infra.bootstrapServers(), source, 0, "always-fails", true);
    publish(infra.bootstrapServers(), source, 0, "unreadable", false);
    publish(infra.bootstrapServers(), source, 0, "after", true);

    eventually("the event behind the failing one is handled", () -> handled.contains("after"));
    eventually("all three are committed", () -> {
      try {
        return committed(infra, group, source, 0) == 3;
      } catch (Exception e) {
        return false;
      }
    });
    List<ConsumerRecord<String, String>> dead = TestKafka.readToEnd(infra.bootstrapServers(), dlq);
    assertEquals(List.of("always-fails", "unreadable"), dead.stream().map(ConsumerRecord::key).toList());
    ConsumerRecord<String, String> failed = dead.get(0);
    assertEquals("database says no", TestKafka.header(failed, DeadLetters.ERROR));
    assertEquals(IllegalStateException.class.getName(), TestKafka.header(failed, DeadLetters.ERROR_CLASS));
    assertEquals(source, TestKafka.header(failed, DeadLetters.SOURCE_TOPIC));
    assertEquals("0", TestKafka.header(failed, DeadLetters.SOURCE_OFFSET));
    assertEquals(group, TestKafka.header(failed, DeadLetters.CONSUMER_GROUP));
    assertTrue(TestKafka.header(failed, EventEnvelope.CE_ID) != null, "the event itself is kept for a replay");
    assertEquals(InvalidEventException.class.getName(), TestKafka.header(dead.get(1), DeadLetters.ERROR_CLASS));
    assertEquals(List.of("after"), handled);
    assertEquals(2.0, count(registry, group, "retried"), "attempts 1 and 2 retried, the 3rd is the last");
    assertEquals(1.0, count(registry, group, "exhausted"));
    assertEquals(1.0, count(registry, group, "poisoned"));
    assertEquals(2.0, count(registry, group, "dead_lettered"));
  }

  @Test
  void anEventFailingBecauseTheDatabaseIsAwayIsRetriedPastTheLimitAndHandledWhenItIsBackNeverDeadLettered(
      Vertx vertx, Infra infra) throws Exception {
    KafkaSettings kafka = kafka(infra);
    Topics topics = Topics.of(kafka);
    String source = topics.name(Topics.USERS_REGISTERED);
    String dlq = topics.name(Topics.IMAGE_DLQ);
    infra.createTopics(List.of(source, dlq), 1);
    List<String> handled = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String group = "db-away-" + UUID.randomUUID();
    await(vertx.deployVerticle(new EventConsumer(kafka, group, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> {
          if (attempts.incrementAndGet() <= 7) {   // more than maxAttempts (3): the database is still away
            return Future.failedFuture(new java.net.ConnectException("Connection refused: /127.0.0.1:5432"));
          }
          handled.add(record.key());
          return Future.succeededFuture();
        },
        Topics.IMAGE_DLQ, new EventConsumer.Retry(3, Duration.ofMillis(20), Duration.ofMillis(50)), registry)));

    publish(infra.bootstrapServers(), source, 0, "while-db-away", true);

    eventually("the event is handled once the database is back", () -> handled.contains("while-db-away"));
    assertEquals(List.of("while-db-away"), handled);
    assertEquals(8, attempts.get());
    var deadLettered = registry.find("shutterbus.consumer.events").tag("group", group).tag("outcome", "dead_lettered").counter();
    assertTrue(deadLettered == null || deadLettered.count() == 0, "dead-lettered while the database was away");
    assertEquals(List.of(), TestKafka.readToEnd(infra.bootstrapServers(), dlq));
  }

  private static double count(SimpleMeterRegistry registry, String group, String outcome) {
    return registry.find("shutterbus.consumer.events").tag("group", group).tag("outcome", outcome).counter().count();
  }

  @Test
  void aConsumerStuckRetryingStillTakesPartInARebalanceSoTheOtherPartitionMovesOn(Vertx vertx, Infra infra)
      throws Exception {
    KafkaSettings kafka = kafka(infra);
    Topics topics = Topics.of(kafka);
    String source = topics.name(Topics.USERS_REGISTERED);
    infra.createTopics(List.of(source, topics.name(Topics.IMAGE_DLQ)), 2);
    String group = "rebalance-" + UUID.randomUUID();
    Map<String, String> handledBy = new ConcurrentHashMap<>();
    EventConsumer.Retry practicallyForever = new EventConsumer.Retry(100_000, Duration.ofMillis(100),
        Duration.ofMillis(200));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    await(vertx.deployVerticle(new EventConsumer(kafka, group, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> record.key().equals("stuck") ? Future.failedFuture(new IllegalStateException("not yet"))
            : Future.succeededFuture(handledBy.put(record.key(), "first")).mapEmpty(),
        Topics.IMAGE_DLQ, practicallyForever, registry)));
    publish(infra.bootstrapServers(), source, 0, "stuck", true);
    eventually("the first consumer is retrying", () -> count(registry, group, "retried") >= 2);

    // A second member joins while the first is busy: the group must rebalance now, not after
    // max.poll.interval.ms (5 minutes), so the partition the stuck event is not on moves on.
    await(vertx.deployVerticle(new EventConsumer(kafka, group, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> Future.succeededFuture(handledBy.put(record.key(), "second")).mapEmpty(),
        Topics.IMAGE_DLQ, practicallyForever, null)));
    for (int i = 0; i < 5; i++) {
      publish(infra.bootstrapServers(), source, 1, "other-" + i, true);
    }
    eventually("every event of the other partition is handled", () -> handledBy.keySet().containsAll(
        List.of("other-0", "other-1", "other-2", "other-3", "other-4")));
    if ("second".equals(handledBy.get("stuck"))) {
      assertTrue(count(registry, group, "abandoned") >= 1, "the first left the revoked event to its new owner");
    }
  }

  @Test
  void stopLeavesAnEventBeingRetriedUncommittedAndTheNextConsumerHandlesIt(Vertx vertx, Infra infra) throws Exception {
    KafkaSettings kafka = kafka(infra);
    Topics topics = Topics.of(kafka);
    String source = topics.name(Topics.USERS_REGISTERED);
    infra.createTopics(List.of(source, topics.name(Topics.IMAGE_DLQ)), 1);
    String group = "stop-" + UUID.randomUUID();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventConsumer.Retry longRetry = new EventConsumer.Retry(100_000, Duration.ofMillis(100), Duration.ofMillis(200));
    String first = await(vertx.deployVerticle(new EventConsumer(kafka, group, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> Future.failedFuture(new IllegalStateException("not yet")),
        Topics.IMAGE_DLQ, longRetry, registry)));
    publish(infra.bootstrapServers(), source, 0, "pending", true);
    eventually("the first consumer is retrying", () -> count(registry, group, "retried") >= 2);
    await(vertx.undeploy(first));
    assertEquals(-1, committed(infra, group, source, 0), "nothing committed for an event not handled");
    assertEquals(1.0, count(registry, group, "abandoned"));

    List<String> handled = new CopyOnWriteArrayList<>();
    await(vertx.deployVerticle(new EventConsumer(kafka, group, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> {
          handled.add(record.key());
          return Future.succeededFuture();
        }, Topics.IMAGE_DLQ, longRetry, null)));
    eventually("the next consumer handles it", () -> handled.contains("pending"));
    eventually("and commits it", () -> {
      try {
        return committed(infra, group, source, 0) == 1;
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(List.of("pending"), handled);
  }
}
