package io.shutterbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.events.Topics;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads while the broker is down, on a private Kafka the test stops and starts (the shared one
 * stays up): every upload is accepted at once, and every image is processed exactly once after
 * Kafka returns, without restarting anything.
 */
@ExtendWith(InfraExtension.class)
class ImageKafkaOutageIT {

  @Test
  void twentyUploadsWhileKafkaIsDownAreAllAcceptedAndAllProcessedOnceWhenItReturns(Infra infra, @TempDir Path dir)
      throws Exception {
    EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), FreePorts.next(), FreePorts.next());
    TestKafka.createTopics(broker.bootstrapServers(), Topics.ALL, 3);
    Map<String, String> env = new HashMap<>(infra.env());
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("KAFKA_TOPIC_PREFIX", "");
    env.put("KAFKA_REQUEST_TIMEOUT_MS", "2000");
    env.put("IMAGE_STORAGE_DIR", dir.resolve("images").toString());
    try (TestIdentity identity = new TestIdentity()) {
      env.putAll(identity.env());
      try (ImageApp service = ImageApp.service(env); ImageApp worker = ImageApp.worker(env);
           ImageClient api = new ImageClient(service.port)) {
        String token = identity.token(UUID.randomUUID());
        api.awaitStatus(token, api.uploadAccepted(token, "before.png", TestImages.png(50, 50)), "ready",
            Duration.ofSeconds(60));
        broker.stop();

        List<String> ids = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          HttpResponse<Buffer> res = api.upload(token, new Multipart()
              .file("image", "down" + i + ".png", "image/png", TestImages.png(60 + i, 40)).build());
          assertEquals(202, res.statusCode(), res.bodyAsString());
          ids.add(res.bodyAsJsonObject().getString("id"));
        }
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "uploads never wait for Kafka");
        Thread.sleep(2000);
        for (String id : ids) {
          assertEquals("processing", api.get("/api/images/" + id, token).bodyAsJsonObject().getString("status"));
        }

        broker.start();
        for (String id : ids) {
          api.awaitStatus(token, id, "ready", Duration.ofSeconds(120));
        }
        // Count only once nothing is left to send or consume: a duplicate would be on the topic by then.
        Settled.on(broker.bootstrapServers()).outbox(infra, "images").groups("image-worker").await(Duration.ofSeconds(60));
        List<String> keys = TestKafka.readToEnd(broker.bootstrapServers(), Topics.IMAGES_PROCESSED).stream()
            .map(ConsumerRecord::key).filter(ids::contains).toList();
        assertEquals(20, keys.size(), "each image processed exactly once");
        List<String> uploaded = TestKafka.readToEnd(broker.bootstrapServers(), Topics.IMAGES_UPLOADED).stream()
            .map(ConsumerRecord::key).filter(ids::contains).toList();
        assertEquals(20, uploaded.size(), "each upload published exactly once");
        assertEquals(new java.util.HashSet<>(ids), new java.util.HashSet<>(keys));
      }
    } finally {
      broker.close();
    }
  }
}
