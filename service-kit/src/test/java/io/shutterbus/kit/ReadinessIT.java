package io.shutterbus.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.embedded.EmbeddedPostgres;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Readiness follows the dependencies and liveness does not: with PostgreSQL or Kafka stopped,
 * /health/ready answers 503 naming the check within 2 s while /health/live stays 200, and it turns
 * UP again by itself when the server returns. Uses servers of its own, since it stops them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessIT {
  static Path dir;
  static EmbeddedPostgres postgres;
  static EmbeddedKafka kafka;
  static Vertx vertx;
  static Vertx clientVertx;
  static WebClient client;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("readiness-it");
    postgres = EmbeddedPostgres.start(dir.resolve("pg"), FreePorts.next());
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), FreePorts.next(), FreePorts.next());
    vertx = Metrics.newVertx(Metrics.newRegistry());
    port = FreePorts.next();
    PgSettings pg = new PgSettings("127.0.0.1", postgres.port(), "postgres", "postgres", "unused", 1, 1000);
    KafkaSettings ks = new KafkaSettings(kafka.bootstrapServers(), "", 5000);
    vertx.deployVerticle(new ManagementVerticle("readiness-test", "127.0.0.1", port, "TEST_PORT", pg, ks,
        Metrics.newRegistry())).await(20, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx);
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    kafka.close();
    postgres.close();
  }

  /** The answer must come within 2 s: the request itself times out otherwise. */
  static HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(port, "127.0.0.1", path).timeout(2000).send().await(3, TimeUnit.SECONDS);
  }

  static String checkStatus(JsonObject body, String id) {
    JsonArray checks = body.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i).getString("status");
      }
    }
    return "absent";
  }

  static void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<Buffer> last = null;
    while (System.nanoTime() < deadline) {
      last = get("/health/ready");
      if (last.statusCode() == 200) {
        return;
      }
      Thread.sleep(250);
    }
    fail("not ready again: " + (last == null ? "no answer" : last.bodyAsString()));
  }

  @Test
  @Order(1)
  void readyWithBothChecksUp() throws Exception {
    awaitReady();
    JsonObject body = get("/health/ready").bodyAsJsonObject();
    assertEquals("UP", body.getString("status"));
    assertEquals("UP", checkStatus(body, "postgresql"));
    assertEquals("UP", checkStatus(body, "kafka"));
    String metrics = get("/metrics").bodyAsString();
    assertTrue(metrics.contains("shutterbus_dependency_up{dependency=\"postgresql\"} 1.0"), metrics);
    assertTrue(metrics.contains("shutterbus_ready 1.0"), metrics);
  }

  @Test
  @Order(2)
  void postgresqlDownMeans503NamingItThenRecovers() throws Exception {
    postgres.stop();
    try {
      HttpResponse<Buffer> res = get("/health/ready");
      assertEquals(503, res.statusCode(), res.bodyAsString());
      JsonObject body = res.bodyAsJsonObject();
      assertEquals("DOWN", body.getString("status"));
      assertEquals("DOWN", checkStatus(body, "postgresql"));
      assertEquals("UP", checkStatus(body, "kafka"));
      assertEquals(200, get("/health/live").statusCode());
      // what Prometheus sees at that moment (the probes run as it scrapes)
      String metrics = get("/metrics").bodyAsString();
      assertTrue(metrics.contains("shutterbus_dependency_up{dependency=\"postgresql\"} 0.0"), metrics);
      assertTrue(metrics.contains("shutterbus_dependency_up{dependency=\"kafka\"} 1.0"), metrics);
      assertTrue(metrics.contains("shutterbus_ready 0.0"), metrics);
    } finally {
      postgres.start();
    }
    awaitReady();
  }

  @Test
  @Order(3)
  void kafkaDownMeans503NamingItThenRecovers() throws Exception {
    kafka.stop();
    try {
      HttpResponse<Buffer> res = get("/health/ready");
      assertEquals(503, res.statusCode(), res.bodyAsString());
      JsonObject body = res.bodyAsJsonObject();
      assertEquals("DOWN", checkStatus(body, "kafka"));
      assertEquals("UP", checkStatus(body, "postgresql"));
      assertEquals(200, get("/health/live").statusCode());
    } finally {
      kafka.start();
    }
    awaitReady();
  }
}
