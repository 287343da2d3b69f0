package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.gateway.live.LiveEvents;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.TestTokens;
import io.shutterbus.testkit.http.SseClient;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live stream, fed from real Kafka topics through a real gateway. */
@ExtendWith(InfraExtension.class)
class GatewayEventsIT {
  private static GatewayHarness h;
  private static Topics topics;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start(Infra infra) throws Exception {
    topics = new Topics(infra.topicPrefix());
    infra.createTopics(List.of(topics.name(Topics.IMAGES_PROCESSED), topics.name(Topics.IMAGES_FAILED)), 1);
    h = GatewayHarness.start(x -> Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
        "KAFKA_TOPIC_PREFIX", infra.topicPrefix(),
        "GATEWAY_SSE_HEARTBEAT_MS", "300",
        "GATEWAY_SSE_MAX_PER_USER", "2"));
    LiveEvents live = new LiveEvents(h.config.kafka());
    h.vertx.deployVerticle(live).await(10, TimeUnit.SECONDS);
    live.assigned().await(30, TimeUnit.SECONDS);
    producer = KafkaProducer.create(h.clientVertx, Map.of("bootstrap.servers", infra.bootstrapServers(),
        "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName(),
        "acks", "all", "enable.idempotence", "true"));
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close().await(10, TimeUnit.SECONDS);
    h.close();
  }

  private static String processed(String owner, String ceId) throws Exception {
    String imageId = UUID.randomUUID().toString();
    JsonObject data = new JsonObject().put("imageId", imageId).put("ownerId", owner).put("purpose", "gallery")
        .put("width", 640).put("height", 480).put("format", "png")
        .put("thumbnails", new JsonObject().put("256", "/uploads/thumbs/256/x.jpg"))
        .put("url", "/uploads/x.png").put("processedAt", "2026-01-01T00:00:00Z");
    send(Topics.IMAGES_PROCESSED, imageId, data, ceId, "shutterbus.image.processed.v1");
    return imageId;
  }

  private static void send(String topic, String key, JsonObject data, String ceId, String type) throws Exception {
    producer.send(KafkaProducerRecord.create(topics.name(topic), key, data.encode())
            .addHeader("ce_specversion", "1.0").addHeader("ce_id", ceId).addHeader("ce_type", type)
            .addHeader("ce_source", "/image-worker").addHeader("content-type", "application/json"))
        .await(10, TimeUnit.SECONDS);
  }

  /** The consumer starts at the latest offset: wait until it sees new events before asserting on any. */
  private static void warmUp(SseClient sse, String owner) throws Exception {
    for (int i = 0; i < 40; i++) {
      processed(owner, "warm-up-" + i);
      if (sse.nextEvent(500) != null) {
        Thread.sleep(300);
        sse.frames.clear();
        return;
      }
    }
    throw new AssertionError("the live consumer never delivered");
  }

  @Test
  void ownersSeeTheirOwnImageEventsAndNothingElse() throws Exception {
    String alice = GatewayHarness.newUser();
    String bob = GatewayHarness.newUser();
    SseClient a = SseClient.open(h.clientVertx, h.port, GatewayHarness.token(alice));
    SseClient b = SseClient.open(h.clientVertx, h.port, GatewayHarness.token(bob));
    try {
      assertEquals(200, a.response.statusCode());
      assertTrue(a.response.getHeader("content-type").startsWith("text/event-stream"));
      assertEquals("no-cache, no-store", a.response.getHeader("cache-control"));
      warmUp(a, alice);
      b.frames.clear();

      String imageId = processed(alice, "evt-1");
      String failedId = UUID.randomUUID().toString();
      send(Topics.IMAGES_FAILED, failedId, new JsonObject().put("imageId", failedId).put("ownerId", bob)
          .put("reason", "not a decodable image").put("failedAt", "2026-01-01T00:00:00Z"), "evt-2",
          "shutterbus.image.failed.v1");
      processed(GatewayHarness.newUser(), "evt-3");

      String frame = a.nextEvent(10_000);
      assertNotNull(frame, "alice got her event");
      assertTrue(frame.startsWith("id: evt-1\nevent: image.processed\ndata: "), frame);
      JsonObject data = new JsonObject(frame.substring(frame.indexOf("data: ") + 6));
      assertEquals(imageId, data.getString("imageId"));
      assertEquals("ready", data.getString("status"));
      assertEquals("/uploads/thumbs/256/x.jpg", data.getJsonObject("thumbnails").getString("256"));
      assertEquals(640, data.getJsonObject("metadata").getInteger("width"));
      assertEquals("png", data.getJsonObject("metadata").getString("format"));
      assertFalse(data.containsKey("ownerId"));

      String failed = b.nextEvent(10_000);
      assertNotNull(failed, "bob got his");
      assertTrue(failed.contains("event: image.failed"), failed);
      JsonObject failure = new JsonObject(failed.substring(failed.indexOf("data: ") + 6));
      assertEquals("failed", failure.getString("status"));
      assertEquals("not a decodable image", failure.getString("reason"));

      assertNull(a.nextEvent(1000), "alice sees no one else's events");
      assertNull(b.nextEvent(200), "nor does bob");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void heartbeatsFlowWhileNothingHappens() throws Exception {
    SseClient s = SseClient.open(h.clientVertx, h.port, GatewayHarness.token(GatewayHarness.newUser()));
    try {
      assertEquals("retry: 3000", s.frames.poll(5, TimeUnit.SECONDS));
      assertEquals(": ping", s.frames.poll(5, TimeUnit.SECONDS));
    } finally {
      s.close();
    }
  }

  @Test
  void streamNeedsAValidToken() throws Exception {
    SseClient none = SseClient.open(h.clientVertx, h.port, null);
    SseClient forged = SseClient.open(h.clientVertx, h.port,
        TestTokens.unsigned("{\"alg\":\"none\",\"kid\":\"gw-k1\"}", GatewayHarness.claims("x").json()));
    try {
      assertEquals(401, none.response.statusCode());
      assertEquals(401, forged.response.statusCode());
      assertEquals("application/problem+json", forged.response.getHeader("content-type"));
    } finally {
      none.close();
      forged.close();
    }
  }

  @Test
  void streamsPerUserAreCappedAndFreedWhenClosed() throws Exception {
    String token = GatewayHarness.token(GatewayHarness.newUser());
    SseClient one = SseClient.open(h.clientVertx, h.port, token);
    SseClient two = SseClient.open(h.clientVertx, h.port, token);
    SseClient three = SseClient.open(h.clientVertx, h.port, token);
    assertEquals(200, one.response.statusCode());
    assertEquals(200, two.response.statusCode());
    assertEquals(429, three.response.statusCode());
    three.close();
    one.close().await(5, TimeUnit.SECONDS);
    int status = 0;
    for (int i = 0; i < 50 && status != 200; i++) {
      Thread.sleep(100);
      SseClient again = SseClient.open(h.clientVertx, h.port, token);
      status = again.response.statusCode();
      if (status != 200) {
        again.close();
      }
    }
    assertEquals(200, status, "a closed stream gives its slot back");
    two.close();
  }

  @Test
  void streamEndsWhenTheTokenExpires() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String shortLived = GatewayHarness.KEY.sign(GatewayHarness.claims(GatewayHarness.newUser()).put("exp", now + 2));
    SseClient s = SseClient.open(h.clientVertx, h.port, shortLived);
    try {
      assertEquals(200, s.response.statusCode());
      s.ended.future().await(5, TimeUnit.SECONDS);
    } finally {
      s.close();
    }
  }

  @Test
  void stoppingTheGatewayEndsOpenStreamsPromptly() throws Exception {
    GatewayHarness other = GatewayHarness.start(x -> Map.of());
    try {
      SseClient s = SseClient.open(other.clientVertx, other.port, GatewayHarness.token(GatewayHarness.newUser()));
      assertEquals(200, s.response.statusCode());
      long t0 = System.nanoTime();
      other.vertx.undeploy(other.gatewayDeployment).await(10, TimeUnit.SECONDS);
      s.ended.future().await(5, TimeUnit.SECONDS);
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "the stream did not hold the shutdown");
    } finally {
      other.close();
    }
  }
}
