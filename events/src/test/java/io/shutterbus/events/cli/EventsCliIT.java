package io.shutterbus.events.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The events CLI against a real broker: what an operator types, what they read. */
@ExtendWith(InfraExtension.class)
class EventsCliIT {
  static Infra infra;
  static String users;
  static String dlq;
  static String uploads;

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--bootstrap-server", infra.bootstrapServers()));
    all.addAll(List.of(args));
    int code = EventsCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void seed(Infra given) throws Exception {
    infra = given;
    users = infra.topicPrefix() + "users.registered";
    dlq = infra.topicPrefix() + "images.uploaded.dlq";
    uploads = infra.topicPrefix() + "images.uploaded";
    infra.createTopics(List.of(users, dlq, uploads), 3);
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < 12; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "shutterbus.user.registered.v1".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", ("id-" + i).getBytes(StandardCharsets.UTF_8));
        String value = new JsonObject().put("userId", "user-" + i).put("email", "person" + i + "@example.com")
            .put("name", i == 7 ? "Needle Person" : "Person " + i).encode();
        producer.send(new ProducerRecord<>(users, 0, "user-" + i, value, headers)).get(10, TimeUnit.SECONDS);
      }
      for (int i = 0; i < 2; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", "shutterbus.image.uploaded.v1".getBytes(StandardCharsets.UTF_8));
        headers.add("dlq_error", "cannot decode".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(dlq, null, "image-" + i, "{\"imageId\":\"image-" + i + "\"}", headers))
            .get(10, TimeUnit.SECONDS);
      }
    }
  }

  static KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", infra.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  @Test
  void topicsShowsPartitionsAndCounts() {
    Result r = run("topics");
    assertEquals(0, r.code(), r.err());
    String line = r.lines().stream().filter(l -> l.startsWith(users + " ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
    assertEquals(List.of(users, "3", "12", "12"), List.of(line.trim().split("\\s+")));
  }

  @Test
  void tailFromBeginningAsJsonMasksEmails() {
    Result r = run("tail", users, "--from-beginning", "--json", "--max", "1");
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.lines().size(), r.out());
    JsonObject event = new JsonObject(r.lines().get(0));
    assertEquals(users, event.getString("topic"));
    assertEquals(0, event.getInteger("partition"));
    assertEquals(0L, event.getLong("offset"));
    assertEquals("user-0", event.getString("key"));
    assertEquals("shutterbus.user.registered.v1", event.getJsonObject("headers").getString("ce_type"));
    assertEquals("p***@example.com", event.getJsonObject("value").getString("email"));
    assertFalse(r.out().contains("person0@example.com"));
    assertTrue(event.getString("timestamp").endsWith("Z"));
  }

  @Test
  void unmaskShowsTheAddress() {
    Result r = run("tail", users, "--from-beginning", "--json", "--max", "1", "--unmask");
    assertEquals("person0@example.com", new JsonObject(r.lines().get(0)).getJsonObject("value").getString("email"));
  }

  @Test
  void defaultIsTheLastTenReadable() {
    Result r = run("tail", users);
    assertEquals(0, r.code(), r.err());
    assertEquals(10, r.lines().size(), r.out());
    assertTrue(r.lines().get(0).startsWith(users + "/0@2 "), r.lines().get(0));
    assertTrue(r.lines().get(9).contains("key=user-11 type=shutterbus.user.registered.v1"), r.lines().get(9));
  }

  @Test
  void filtersByKeyTextOffsetPartitionAndTime() {
    assertEquals(List.of("user-3"), keys(run("tail", users, "--from-beginning", "--json", "--key", "user-3")));
    assertEquals(List.of("user-7"), keys(run("tail", users, "--from-beginning", "--json", "--grep", "needle")));
    assertEquals(List.of("user-10", "user-11"), keys(run("tail", users, "--json", "--offset", "10", "--partition", "0")));
    assertEquals(List.of(), keys(run("tail", users, "--json", "--from-beginning", "--partition", "1")));
    assertEquals(12, keys(run("tail", users, "--json", "--since", "1h")).size());
    assertEquals(List.of(), keys(run("tail", users, "--json", "--since", "2999-01-01T00:00:00Z")));
    assertEquals(List.of("user-1"), keys(run("tail", users, "--json", "--grep", "shutterbus", "--offset", "1", "--max", "1")));
  }

  static List<String> keys(Result r) {
    assertEquals(0, r.code(), r.err());
    return r.lines().stream().map(l -> new JsonObject(l).getString("key")).toList();
  }

  @Test
  void badInputIsAUsageError() {
    Result r = run("tail", users, "--since", "5 fortnights");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("since takes"), r.err());
    Result both = run("tail", users, "--from-beginning", "--offset", "3");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("choose one start"), both.err());
    Result missing = run("tail", infra.topicPrefix() + "no.such.topic");
    assertEquals(4, missing.code());
    assertTrue(missing.err().contains("no topic named"), missing.err());
  }

  @Test
  void groupsShowLagPerPartition() throws Exception {
    String group = infra.topicPrefix() + "lagging";
    Properties p = new Properties();
    p.put("bootstrap.servers", infra.bootstrapServers());
    p.put("group.id", group);
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.commitSync(Map.of(new TopicPartition(users, 0), new OffsetAndMetadata(5)));
    }
    Result r = run("groups", "--group", group, "--json");
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.lines().size(), r.out());
    JsonObject row = new JsonObject(r.lines().get(0));
    assertEquals(5L, row.getLong("committed"));
    assertEquals(12L, row.getLong("end"));
    assertEquals(7L, row.getLong("lag"));
    Result table = run("groups");
    assertTrue(table.out().contains(group), table.out());
  }

  @Test
  void replayReDrivesDeadLettersKeepingKeyAndHeaders() throws Exception {
    Result r = run("replay", dlq, "--to", uploads);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("2 event(s) replayed"), r.out());
    Properties p = new Properties();
    p.put("bootstrap.servers", infra.bootstrapServers());
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = List.of(new TopicPartition(uploads, 0), new TopicPartition(uploads, 1),
          new TopicPartition(uploads, 2));
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (got.size() < 2 && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(300)).forEach(got::add);
      }
    }
    assertEquals(2, got.size());
    for (ConsumerRecord<String, String> rec : got) {
      assertTrue(rec.key().startsWith("image-"));
      assertEquals("cannot decode", header(rec, "dlq_error"));
      assertEquals("shutterbus.image.uploaded.v1", header(rec, "ce_type"));
      assertTrue(header(rec, EventInspector.REPLAYED_FROM).startsWith(dlq + "/"), header(rec, EventInspector.REPLAYED_FROM));
    }
  }

  static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void anUnreachableBrokerIsAClearErrorNotAHang() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = EventsCli.run(new PrintWriter(out), new PrintWriter(err),
        "--bootstrap-server", "127.0.0.1:" + FreePorts.next(), "topics");
    assertEquals(3, code);
    assertTrue(err.toString().contains("cannot reach Kafka at 127.0.0.1:"), err.toString());
  }
}
