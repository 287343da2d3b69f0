package io.shutterbus.gateway;

import io.shutterbus.testkit.http.SseClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin live tail on a gateway of two verticle instances: one tail pool per process, and a tail that ends at its limit. */
@ExtendWith(InfraExtension.class)
class AdminTailIT {
  private static GatewayHarness h;
  private static String topic;
  private static String adminToken;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start(Infra infra) throws Exception {
    topic = new Topics(infra.topicPrefix()).name(Topics.USERS_REGISTERED);
    infra.createTopics(List.of(topic), 1);
    h = GatewayHarness.start(x -> Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
        "KAFKA_TOPIC_PREFIX", infra.topicPrefix(),
        "GATEWAY_INSTANCES", "2",
        "GATEWAY_SSE_HEARTBEAT_MS", "300"));
    adminToken = GatewayHarness.KEY.sign(GatewayHarness.claims(GatewayHarness.newUser())
        .put("roles", List.of("user", "admin")));
    producer = KafkaProducer.create(h.clientVertx, Map.of("bootstrap.servers", infra.bootstrapServers(),
        "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName(),
        "acks", "all"));
    for (int i = 0; i < 5; i++) {
      producer.send(KafkaProducerRecord.create(topic, "user-" + i, new JsonObject().put("userId", "user-" + i)
          .put("email", "tail" + i + "@example.com").encode())).await(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close().await(10, TimeUnit.SECONDS);
    h.close();
  }

  private static SseClient tail(String query) throws Exception {
    return SseClient.open(h.clientVertx, h.port, "/api/admin/events/topics/" + topic + "/tail" + query, adminToken);
  }

  @Test
  void aTailEndsTheResponseOnceItsLimitIsReached() throws Exception {
    SseClient sse = tail("?fromBeginning=true&limit=3");
    for (int i = 0; i < 50 && sse.response.statusCode() == 429; i++) {
      sse.close();  // tails of another test are still giving their slots back
      Thread.sleep(100);
      sse = tail("?fromBeginning=true&limit=3");
    }
    try {
      assertEquals(200, sse.response.statusCode());
      sse.ended.future().await(15, TimeUnit.SECONDS);
      List<String> frames = new ArrayList<>(sse.frames);
      assertEquals(3, frames.stream().filter(f -> f.contains("event: message")).count(), frames.toString());
      assertTrue(frames.get(frames.size() - 1).startsWith("event: end"), frames.toString());
    } finally {
      sse.close();
    }
  }

  @Test
  void theTailLimitIsPerGatewayProcessNotPerVerticleInstance() throws Exception {
    List<SseClient> open = new ArrayList<>();
    try {
      int granted = 0;
      int refused = 0;
      for (int i = 0; i < 6; i++) {
        SseClient sse = tail("");
        open.add(sse);
        if (sse.response.statusCode() == 200) {
          granted++;
        } else {
          assertEquals(429, sse.response.statusCode());
          refused++;
        }
      }
      assertEquals(4, granted, "four tails in all, though two instances serve them");
      assertEquals(2, refused);
    } finally {
      for (SseClient sse : open) {
        sse.close().await(5, TimeUnit.SECONDS);
      }
    }
  }
}
