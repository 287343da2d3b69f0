package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.http.SseClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin event inspection API through a real gateway over real Kafka: who may use it and what it shows. */
@ExtendWith(InfraExtension.class)
class AdminEventsIT {
  private static GatewayHarness h;
  private static String users;
  private static String adminToken;
  private static KafkaProducer<String, String> producer;
  private static String bootstrap;

  @BeforeAll
  static void start(Infra infra) throws Exception {
    Topics topics = new Topics(infra.topicPrefix());
    users = topics.name(Topics.USERS_REGISTERED);
    bootstrap = infra.bootstrapServers();
    infra.createTopics(List.of(users), 2);
    h = GatewayHarness.start(x -> Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
        "KAFKA_TOPIC_PREFIX", infra.topicPrefix(),
        "GATEWAY_SSE_HEARTBEAT_MS", "300"));
    adminToken = GatewayHarness.KEY.sign(GatewayHarness.claims(GatewayHarness.newUser())
        .put("roles", List.of("user", "admin")));
    producer = KafkaProducer.create(h.clientVertx, Map.of("bootstrap.servers", infra.bootstrapServers(),
        "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName(),
        "acks", "all"));
    for (int i = 0; i < 6; i++) {
      send("user-" + i, new JsonObject().put("userId", "user-" + i).put("email", "someone" + i + "@example.com")
          .put("name", i == 4 ? "Findable Name" : "Name " + i));
    }
  }

  static void send(String key, JsonObject value) throws Exception {
    producer.send(KafkaProducerRecord.create(users, key, value.encode(), null, 0)
        .addHeader("ce_type", "shutterbus.user.registered.v1")).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close().await(10, TimeUnit.SECONDS);
    h.close();
  }

  static HttpResponse<Buffer> get(String uri, String token) throws Exception {
    var req = h.get(uri);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return GatewayHarness.send(req);
  }

  @Test
  void withoutATokenIs401AndForOrdinaryUsers403() throws Exception {
    for (String uri : List.of("/api/admin/events/topics", "/api/admin/events/groups",
        "/api/admin/events/topics/" + users + "/messages", "/api/admin/events/topics/" + users + "/tail")) {
      HttpResponse<Buffer> anonymous = get(uri, null);
      assertEquals(401, anonymous.statusCode(), uri);
      assertEquals("application/problem+json", anonymous.getHeader("content-type"));
      HttpResponse<Buffer> user = get(uri, GatewayHarness.token(GatewayHarness.newUser()));
      assertEquals(403, user.statusCode(), uri);
      assertEquals("application/problem+json", user.getHeader("content-type"));
    }
  }

  @Test
  void topicsListCounts() throws Exception {
    HttpResponse<Buffer> res = get("/api/admin/events/topics", adminToken);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject topic = res.bodyAsJsonObject().getJsonArray("topics").stream().map(JsonObject.class::cast)
        .filter(t -> users.equals(t.getString("name"))).findFirst().orElseThrow();
    assertEquals(2, topic.getInteger("partitions"));
    assertTrue(topic.getLong("messages") >= 6);
  }

  @Test
  void messagesAreMaskedAndFiltered() throws Exception {
    JsonArray all = messages("?fromBeginning=true&limit=100");
    assertTrue(all.size() >= 6);
    JsonObject first = all.getJsonObject(0);
    assertNotNull(first.getString("timestamp"));
    assertEquals("shutterbus.user.registered.v1", first.getJsonObject("headers").getString("ce_type"));
    assertFalse(all.encode().contains("@example.com\"") && all.encode().contains("someone0@"), "e-mails are masked");
    assertTrue(all.encode().contains("s***@example.com"));

    JsonArray byKey = messages("?fromBeginning=true&key=user-2");
    assertEquals(1, byKey.size());
    assertEquals("user-2", byKey.getJsonObject(0).getString("key"));
    JsonArray byText = messages("?fromBeginning=true&q=findable");
    assertEquals(1, byText.size());
    assertEquals("Findable Name", byText.getJsonObject(0).getJsonObject("value").getString("name"));
    JsonArray fromOffset = messages("?partition=0&offset=5");
    assertEquals(List.of(5L), fromOffset.stream().map(o -> ((JsonObject) o).getLong("offset")).toList());
    assertEquals(2, messages("?fromBeginning=true&limit=2").size());
    assertEquals(0, messages("?since=2999-01-01T00:00:00Z").size());
  }

  static JsonArray messages(String query) throws Exception {
    HttpResponse<Buffer> res = get("/api/admin/events/topics/" + users + "/messages" + query, adminToken);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    return res.bodyAsJsonObject().getJsonArray("items");
  }

  @Test
  void badParametersAre400NamingThemAndUnknownTopics404() throws Exception {
    HttpResponse<Buffer> bad = get("/api/admin/events/topics/" + users + "/messages?limit=100000", adminToken);
    assertEquals(400, bad.statusCode());
    assertEquals("limit", bad.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> since = get("/api/admin/events/topics/" + users + "/messages?since=yesterday", adminToken);
    assertEquals(400, since.statusCode());
    assertEquals("since", since.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> both = get("/api/admin/events/topics/" + users + "/messages?fromBeginning=true&offset=1", adminToken);
    assertEquals(400, both.statusCode());
    HttpResponse<Buffer> missing = get("/api/admin/events/topics/no.such.topic/messages", adminToken);
    assertEquals(404, missing.statusCode(), missing.bodyAsString());
    assertEquals("application/problem+json", missing.getHeader("content-type"));
  }

  @Test
  void groupsShowCommittedOffsetEndAndLag() throws Exception {
    String group = users + ".lagging";
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", group);
    try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.StringDeserializer())) {
      c.commitSync(Map.of(new org.apache.kafka.common.TopicPartition(users, 0),
          new org.apache.kafka.clients.consumer.OffsetAndMetadata(2)));
    }
    HttpResponse<Buffer> res = get("/api/admin/events/groups", adminToken);
    assertEquals(200, res.statusCode(), res.bodyAsString());
    JsonObject row = res.bodyAsJsonObject().getJsonArray("groups").stream().map(JsonObject.class::cast)
        .filter(r -> group.equals(r.getString("group"))).findFirst()
        .orElseThrow(() -> new AssertionError("group missing: " + res.bodyAsString()));
    assertEquals(users, row.getString("topic"));
    assertEquals(0, row.getInteger("partition"));
    assertEquals(2L, row.getLong("committed"));
    assertTrue(row.getLong("end") >= 6, row.encode());
    assertEquals(row.getLong("end") - 2, row.getLong("lag"));
  }

  @Test
  void liveTailPushesNewEvents() throws Exception {
    SseClient sse = SseClient.open(h.clientVertx, h.port, "/api/admin/events/topics/" + users + "/tail?q=live", adminToken);
    try {
      assertEquals(200, sse.response.statusCode());
      assertEquals("text/event-stream", sse.response.getHeader("content-type"));
      Thread.sleep(1500);  // the tail starts at the end: let its consumer take its position first
      send("user-live", new JsonObject().put("userId", "user-live").put("email", "live@example.com").put("name", "live one"));
      String frame = sse.nextEvent(15_000);
      assertNotNull(frame, "no event pushed: " + sse.body());
      assertTrue(frame.startsWith("event: message"), frame);
      JsonObject data = new JsonObject(frame.substring(frame.indexOf("data: ") + 6));
      assertEquals("user-live", data.getString("key"));
      assertEquals("l***@example.com", data.getJsonObject("value").getString("email"));
    } finally {
      sse.close().await(5, TimeUnit.SECONDS);
    }
  }
}
