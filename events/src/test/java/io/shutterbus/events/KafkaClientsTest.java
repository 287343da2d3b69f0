package io.shutterbus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.config.KafkaSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  private final KafkaSettings kafka = new KafkaSettings("127.0.0.1:9092", "", 5000);

  @Test
  void producersWaitForAllReplicasAndAreIdempotentExplicitly() {
    Map<String, String> c = KafkaClients.producerConfig(kafka, "p");
    assertEquals("all", c.get("acks"));
    assertEquals("true", c.get("enable.idempotence"));
    assertTrue(Long.parseLong(c.get("delivery.timeout.ms")) >= 5000 + Long.parseLong(c.get("linger.ms")),
        "delivery.timeout.ms must cover linger.ms + request.timeout.ms");
  }

  @Test
  void consumersNeverAutoCommit() {
    Map<String, String> c = KafkaClients.consumerConfig(kafka, "c", "g");
    assertEquals("false", c.get("enable.auto.commit"));
    assertEquals("g", c.get("group.id"));
  }
}
