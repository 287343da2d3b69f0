package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.events.Topics;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.run.ServiceRuntime;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class GatewayServiceIT {

  @Test
  void startsWithoutAnyDatabaseSettingAndIsReadyOnKafkaAlone(Infra infra) throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(registry);
    Vertx clientVertx = Vertx.vertx();
    try {
      int port = FreePorts.next();
      int management = FreePorts.next();
      Topics topics = new Topics(infra.topicPrefix());
      infra.createTopics(List.of(topics.name(Topics.IMAGES_PROCESSED), topics.name(Topics.IMAGES_FAILED)), 1);
      Env env = Env.of(Map.of(   // no PG_* at all: the gateway never touches PostgreSQL
          "KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
          "KAFKA_TOPIC_PREFIX", infra.topicPrefix(),
          "SHUTTERBUS_BIND_HOST", "127.0.0.1",
          "GATEWAY_PORT", Integer.toString(port),
          "GATEWAY_MANAGEMENT_PORT", Integer.toString(management),
          "GATEWAY_INSTANCES", "2"));
      GatewayService.deploy(new ServiceRuntime(vertx, registry), env).await(30, TimeUnit.SECONDS);

      WebClient client = WebClient.create(clientVertx);
      HttpResponse<Buffer> ready = client.get(management, "127.0.0.1", "/health/ready").send()
          .await(10, TimeUnit.SECONDS);
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      List<String> checks = ready.bodyAsJsonObject().getJsonArray("checks").stream()
          .map(c -> ((JsonObject) c).getString("id")).toList();
      assertEquals(List.of("kafka"), checks);

      HttpResponse<Buffer> unknown = client.get(port, "127.0.0.1", "/api/unknown").send().await(10, TimeUnit.SECONDS);
      assertEquals(404, unknown.statusCode());
      assertEquals("application/problem+json", unknown.getHeader("content-type"));
    } finally {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(15, TimeUnit.SECONDS);
    }
  }
}
