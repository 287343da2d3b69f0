package io.shutterbus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith({VertxExtension.class, InfraExtension.class})
class OutboxRelayIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PgSettings pg(Infra infra) {
    return new PgSettings(infra.pgHost(), infra.pgPort(), infra.pgDatabase(), infra.pgUser(), infra.pgPassword(),
        4, 2000);
  }

  private static String schema() {
    return "relay_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  /** Writes one outbox row per event, each in its own transaction, and returns the envelopes. */
  private static List<EventEnvelope> append(Pool pool, String schema, List<UUID> keys) {
    List<EventEnvelope> written = new ArrayList<>();
    List<Future<Void>> inserts = new ArrayList<>();
    for (UUID key : keys) {
      EventEnvelope e = EventEnvelope.of(new UserRegistered(key, "u@example.com", "U", Instant.now()), "/test");
      written.add(e);
      inserts.add(pool.withTransaction(tx -> Outbox.append(tx, schema, e)));
    }
    await(Future.all(inserts));
    return written;
  }

  private static List<UUID> distinctKeys(int n) {
    List<UUID> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(UUID.randomUUID());
    }
    return keys;
  }

  private static long pendingRows(Pool pool, String schema) {
    return await(pool.query("select count(*) from " + schema + ".outbox where sent_at is null").execute())
        .iterator().next().getLong(0);
  }

  @Test
  void publishesExactlyOneRecordPerRowWithCloudEventsHeaders(Vertx vertx, Infra infra) {
    String schema = schema();
    KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), infra.topicPrefix() + schema + ".", 5000);
    String topic = Topics.of(kafka).name(Topics.USERS_REGISTERED);
    infra.createTopics(List.of(topic), 3);
    Pool pool = PgPools.create(vertx, pg(infra), "test", 4);
    await(Outbox.migrate(pool, schema));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Polling every minute: only NOTIFY can deliver within the read timeout below.
    OutboxRelay.Settings settings = OutboxRelay.Settings.defaults(schema).withPollInterval(Duration.ofMinutes(1));
    await(vertx.deployVerticle(new OutboxRelay(pg(infra), kafka, settings, registry)));

    List<EventEnvelope> written = append(pool, schema, distinctKeys(20));

    Settled.on(infra.bootstrapServers()).outbox(infra, schema).await(Duration.ofSeconds(20));
    List<ConsumerRecord<String, String>> records = TestKafka.readToEnd(infra.bootstrapServers(), topic);
    assertEquals(20, records.size());
    Map<String, EventEnvelope> byId = new HashMap<>();
    written.forEach(e -> byId.put(e.id(), e));
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, String> r : records) {
      String id = TestKafka.header(r, "ce_id");
      assertTrue(seen.add(id), "record " + id + " published twice");
      EventEnvelope expected = byId.get(id);
      assertNotNull(expected, "unexpected record " + id);
      assertEquals("1.0", TestKafka.header(r, "ce_specversion"));
      assertEquals(UserRegistered.TYPE, TestKafka.header(r, "ce_type"));
      assertEquals("/test", TestKafka.header(r, "ce_source"));
      assertEquals(expected.key(), TestKafka.header(r, "ce_subject"));
      assertEquals(expected.time().toString(), TestKafka.header(r, "ce_time"));
      assertEquals("application/json", TestKafka.header(r, "content-type"));
      assertEquals(expected.key(), r.key());
      assertEquals(expected.data(), new io.vertx.core.json.JsonObject(r.value()));
    }
    assertEquals(0, pendingRows(pool, schema));
    Row attempts = await(pool.query("select min(attempts), max(attempts) from " + schema + ".outbox").execute())
        .iterator().next();
    assertEquals(1, attempts.getInteger(0));
    assertEquals(1, attempts.getInteger(1));
    Timer latency = registry.find("shutterbus.outbox.publish.latency").tag("schema", schema).timer();
    assertNotNull(latency);
    assertEquals(20, latency.count());
    assertEquals(0.0, registry.find("shutterbus.outbox.publish.failures").tag("schema", schema).counter().count());
  }

  @Test
  void rowsPileUpWhileKafkaIsStoppedAndAreAllDeliveredOnceWhenItReturns(Vertx vertx, Infra infra,
                                                                       @TempDir Path dir) throws Exception {
    String schema = schema();
    EmbeddedKafka broker = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")), FreePorts.next(),
        FreePorts.next());
    try {
      KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), "", 2000);
      String topic = Topics.of(kafka).name(Topics.USERS_REGISTERED);
      TestKafka.createTopics(broker.bootstrapServers(), List.of(topic), 3);
      Pool pool = PgPools.create(vertx, pg(infra), "test", 4);
      await(Outbox.migrate(pool, schema));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      OutboxRelay.Settings settings = OutboxRelay.Settings.defaults(schema).withPollInterval(Duration.ofMillis(500))
          .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
      await(vertx.deployVerticle(new OutboxRelay(pg(infra), kafka, settings, registry)));

      broker.stop();
      append(pool, schema, distinctKeys(30));
      Thread.sleep(6000);
      assertEquals(30, pendingRows(pool, schema), "nothing can be sent while the broker is down");
      assertTrue(registry.find("shutterbus.outbox.publish.failures").tag("schema", schema).counter().count() > 0,
          "failed attempts are counted");
      assertEquals(30.0, registry.find("shutterbus.outbox.pending").tag("schema", schema).gauge().value());

      broker.start();
      Settled.on(broker.bootstrapServers()).outbox(infra, schema).await(WAIT);
      List<ConsumerRecord<String, String>> records = TestKafka.readToEnd(broker.bootstrapServers(), topic);
      Set<String> ids = new HashSet<>();
      records.forEach(r -> ids.add(TestKafka.header(r, "ce_id")));
      assertEquals(30, records.size(), "each row exactly once");
      assertEquals(30, ids.size());
      assertEquals(0, pendingRows(pool, schema));
    } finally {
      broker.close();
    }
  }

  @Test
  void twoRelaysOnOneOutboxNeverSendARowTwiceAndKeepEachKeyInOrder(Vertx vertx, Infra infra) {
    String schema = schema();
    KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), infra.topicPrefix() + schema + ".", 5000);
    String topic = Topics.of(kafka).name(Topics.USERS_REGISTERED);
    infra.createTopics(List.of(topic), 3);
    Pool pool = PgPools.create(vertx, pg(infra), "test", 8);
    await(Outbox.migrate(pool, schema));
    OutboxRelay.Settings settings = OutboxRelay.Settings.defaults(schema).withBatchSize(7)
        .withPollInterval(Duration.ofMillis(300));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    await(vertx.deployVerticle(new OutboxRelay(pg(infra), kafka, settings, registry)));
    await(vertx.deployVerticle(new OutboxRelay(pg(infra), kafka, settings, registry)));

    List<UUID> keys = distinctKeys(15);
    int rounds = 20;
    for (int i = 0; i < rounds; i++) {
      append(pool, schema, keys);  // every key gets a row per round, while both relays run
    }
    int total = keys.size() * rounds;

    Settled.on(infra.bootstrapServers()).outbox(infra, schema).await(WAIT);
    List<ConsumerRecord<String, String>> records = TestKafka.readToEnd(infra.bootstrapServers(), topic);
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(TestKafka.header(r, "ce_id")));
    assertEquals(total, records.size(), "each row exactly once");
    assertEquals(total, ids.size());

    Map<String, Long> rowIdByEvent = new HashMap<>();
    await(pool.query("select event_id, id from " + schema + ".outbox").execute())
        .forEach(r -> rowIdByEvent.put(r.getUUID(0).toString(), r.getLong(1)));
    Map<String, Long> lastRowIdByKey = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {  // partition order; a key lives in one partition
      long rowId = rowIdByEvent.get(TestKafka.header(r, "ce_id"));
      Long previous = lastRowIdByKey.put(r.key(), rowId);
      assertTrue(previous == null || previous < rowId, "key " + r.key() + " out of order: " + previous + " then " + rowId);
    }
    assertEquals(0, pendingRows(pool, schema));
  }
}
