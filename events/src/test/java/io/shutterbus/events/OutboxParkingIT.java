package io.shutterbus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rows Kafka refuses for good are parked, counted and re-drivable, and hold up nothing else. */
@ExtendWith({VertxExtension.class, InfraExtension.class})
class OutboxParkingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PgSettings pg(Infra infra) {
    return new PgSettings(infra.pgHost(), infra.pgPort(), infra.pgDatabase(), infra.pgUser(), infra.pgPassword(),
        4, 2000);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  private static EventEnvelope registered(UUID key) {
    return EventEnvelope.of(new UserRegistered(key, "u@example.com", "U", Instant.now()), "/test");
  }

  /** A registration whose data is 2 MiB: over the producer's max.request.size, refused for good. */
  private static EventEnvelope tooLarge(UUID key) {
    return new EventEnvelope(UUID.randomUUID().toString(), UserRegistered.TYPE, "/test", Instant.now(), key.toString(),
        Topics.USERS_REGISTERED, key.toString(), new JsonObject().put("padding", "x".repeat(2 * 1024 * 1024)));
  }

  private static void append(Pool pool, String schema, List<EventEnvelope> events) {
    for (int from = 0; from < events.size(); from += 100) {  // within the wait queue; a transaction per row
      List<Future<Void>> inserts = new ArrayList<>();
      for (EventEnvelope e : events.subList(from, Math.min(events.size(), from + 100))) {
        inserts.add(pool.withTransaction(tx -> Outbox.append(tx, schema, e)));
      }
      await(Future.all(inserts));
    }
  }

  private static Row row(Pool pool, String schema, String eventId) {
    return await(pool.preparedQuery("select sent_at, parked_at, parked_reason, attempts from " + schema
        + ".outbox where event_id = $1").execute(Tuple.of(UUID.fromString(eventId)))).iterator().next();
  }

  private static long count(Pool pool, String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
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

  @Test
  void onePoisonRowDoesNotDelayAThousandOthersAndIsParkedWithItsReason(Vertx vertx, Infra infra) throws Exception {
    String schema = "park_" + UUID.randomUUID().toString().substring(0, 8);
    KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), infra.topicPrefix() + schema + ".", 2000);
    String topic = Topics.of(kafka).name(Topics.USERS_REGISTERED);
    infra.createTopics(List.of(topic), 3);
    Pool pool = PgPools.create(vertx, pg(infra), "test", 4);
    await(Outbox.migrate(pool, schema));
    UUID poisonKey = UUID.randomUUID();
    EventEnvelope poison = tooLarge(poisonKey);
    List<EventEnvelope> events = new ArrayList<>(List.of(poison, registered(poisonKey)));  // same key after it
    for (int i = 0; i < 1000; i++) {
      events.add(registered(UUID.randomUUID()));
    }
    append(pool, schema, events);  // the poison is the oldest row, in the relay's first batch

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Backoff of a minute: had the poison made the relay back off even once, the rest could not
    // arrive within the wait below.
    OutboxRelay.Settings settings = OutboxRelay.Settings.defaults(schema).withPollInterval(Duration.ofSeconds(1))
        .withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1));
    await(vertx.deployVerticle(new OutboxRelay(pg(infra), kafka, settings, registry)));

    Settled.on(infra.bootstrapServers()).outbox(infra, schema).await(WAIT);
    List<ConsumerRecord<String, String>> records = TestKafka.readToEnd(infra.bootstrapServers(), topic);
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(TestKafka.header(r, EventEnvelope.CE_ID)));
    assertEquals(1001, records.size(), "every other row, exactly once");
    assertEquals(1001, ids.size());
    assertTrue(!ids.contains(poison.id()), "the refused row is not on the topic");
    assertTrue(ids.contains(events.get(1).id()), "the poison's key goes on without it");

    Row parked = row(pool, schema, poison.id());
    assertNull(parked.getValue("sent_at"));
    assertNotNull(parked.getValue("parked_at"));
    assertTrue(parked.getString("parked_reason").contains("RecordTooLargeException"), parked.getString("parked_reason"));
    assertEquals(1, parked.getInteger("attempts"), "parked at its first refusal, never retried");
    assertEquals(0.0, registry.find("shutterbus.outbox.publish.failures").tag("schema", schema).counter().count(),
        "a refusal for good is not a failure to retry");
    assertEquals(1.0, registry.find("shutterbus.outbox.parked.rows").tag("schema", schema).counter().count());
    eventually("the parked gauge shows the row", () ->
        registry.find("shutterbus.outbox.parked").tag("schema", schema).gauge().value() == 1.0
            && registry.find("shutterbus.outbox.pending").tag("schema", schema).gauge().value() == 0.0);
    assertEquals(0, count(pool, "select count(*) from " + schema + ".outbox where sent_at is null and parked_at is null"));
  }

  @Test
  void rowsOfAnUnknownTopicAreParkedWhileOthersFlowAndARedriveDeliversThemOnceTheTopicExists(Vertx vertx, Infra infra)
      throws Exception {
    String schema = "park_" + UUID.randomUUID().toString().substring(0, 8);
    KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), infra.topicPrefix() + schema + ".", 2000);
    String known = Topics.of(kafka).name(Topics.USERS_REGISTERED);
    String unknown = Topics.of(kafka).name(Topics.IMAGES_DELETED);  // not created (the broker never auto-creates)
    infra.createTopics(List.of(known), 3);
    Pool pool = PgPools.create(vertx, pg(infra), "test", 4);
    await(Outbox.migrate(pool, schema));
    List<EventEnvelope> deletions = new ArrayList<>();
    List<EventEnvelope> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      EventEnvelope d = EventEnvelope.of(new ImageDeleted(UUID.randomUUID(), UUID.randomUUID(), ImagePurpose.GALLERY,
          "/uploads/x.jpg", Instant.now()), "/test");
      deletions.add(d);
      events.add(d);
    }
    for (int i = 0; i < 50; i++) {
      events.add(registered(UUID.randomUUID()));
    }
    append(pool, schema, events);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OutboxRelay.Settings settings = OutboxRelay.Settings.defaults(schema).withPollInterval(Duration.ofMillis(500))
        .withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1));
    await(vertx.deployVerticle(new OutboxRelay(pg(infra), kafka, settings, registry)));

    assertEquals(50, TestKafka.readAll(infra.bootstrapServers(), known, 50, WAIT, Duration.ofMillis(500)).size());
    eventually("the unknown topic's rows are parked", () -> count(pool, "select count(*) from " + schema
        + ".outbox where parked_at is not null") == 3);
    String reason = row(pool, schema, deletions.get(0).id()).getString("parked_reason");
    assertTrue(reason.contains(unknown) && reason.contains("unknown"), reason);

    infra.createTopics(List.of(unknown), 3);  // the operator fixes the cause, then re-drives
    assertEquals(3, await(Outbox.redriveParked(pool, schema, List.of())));
    Settled.on(infra.bootstrapServers()).outbox(infra, schema).await(WAIT);
    List<ConsumerRecord<String, String>> redriven = TestKafka.readToEnd(infra.bootstrapServers(), unknown);
    Set<String> ids = new HashSet<>();
    redriven.forEach(r -> ids.add(TestKafka.header(r, EventEnvelope.CE_ID)));
    assertEquals(deletions.stream().map(EventEnvelope::id).collect(java.util.stream.Collectors.toSet()), ids);
    assertEquals(3, redriven.size(), "each re-driven row exactly once");
    eventually("nothing parked or pending any more", () ->
        count(pool, "select count(*) from " + schema + ".outbox where sent_at is null") == 0
            && registry.find("shutterbus.outbox.parked").tag("schema", schema).gauge().value() == 0.0);
  }
}
