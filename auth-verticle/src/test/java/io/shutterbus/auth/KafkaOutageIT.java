package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.register;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.events.Topics;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Registrations while the broker is down: all accepted, all published once when it returns. */
@ExtendWith(InfraExtension.class)
class KafkaOutageIT {

  @Test
  void fiftyRegistrationsWhileKafkaIsDownAreAllAcceptedAndPublishedOnceWhenItReturns(Infra infra, @TempDir Path dir)
      throws Exception {
    EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), FreePorts.next(), FreePorts.next());
    String topic = Topics.USERS_REGISTERED;
    TestKafka.createTopics(broker.bootstrapServers(), List.of(topic), 3);
    Map<String, String> env = new HashMap<>(infra.env());
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("KAFKA_TOPIC_PREFIX", "");
    env.put("KAFKA_REQUEST_TIMEOUT_MS", "2000");
    try (AuthApp app = AuthApp.start(env); Http http = new Http(app.port)) {
      assertEquals(201, register(http, uniqueEmail("before"), "Before", PASSWORD).statusCode());
      assertEquals(1, TestKafka.readAll(broker.bootstrapServers(), topic, 1, Duration.ofSeconds(30), Duration.ZERO)
          .size(), "the relay publishes while Kafka is up");
      broker.stop();

      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        JsonObject body = new JsonObject().put("email", uniqueEmail("down")).put("name", "Down " + i)
            .put("password", PASSWORD);
        calls.add(http.sendAsync(HttpMethod.POST, "/api/auth/register", body.encode(), Map.of()));
      }
      Set<String> ids = new HashSet<>();
      for (Future<HttpResponse<Buffer>> call : calls) {
        HttpResponse<Buffer> res = Http.await(call);
        assertEquals(201, res.statusCode(), res.bodyAsString());
        ids.add(res.bodyAsJsonObject().getString("id"));
      }
      assertEquals(50, ids.size());
      Thread.sleep(3000);
      String metrics = http.getOn(app.managementPort, "/metrics").bodyAsString();
      assertTrue(metrics.contains("shutterbus_outbox_pending{schema=\"auth\"} 50.0"),
          "the 50 events wait in the outbox while Kafka is away: " + metrics.lines().filter(l -> l.startsWith("shutterbus_outbox")).toList());
      assertEquals(503, http.getOn(app.managementPort, "/health/ready").statusCode(), "not ready without Kafka");

      broker.start();
      Settled.on(broker.bootstrapServers()).outbox(infra, "auth").await(Duration.ofSeconds(90));
      List<ConsumerRecord<String, String>> records = TestKafka.readToEnd(broker.bootstrapServers(), topic);
      List<String> delivered = records.stream().map(ConsumerRecord::key).filter(ids::contains).toList();
      assertEquals(50, delivered.size(), "every registration made while Kafka was down arrives exactly once");
      assertEquals(ids, new HashSet<>(delivered));
      assertEquals(51, records.size(), "and nothing else was sent twice");
    } finally {
      broker.close();
    }
  }
}
