package io.shutterbus.kit.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a service finds Kafka. {@code topicPrefix} is empty in production; tests use it to give
 * each test class topics of its own on one shared broker.
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int requestTimeoutMs) {

  public static KafkaSettings fromEnv(Env env) {
    return new KafkaSettings(
        env.required("KAFKA_BOOTSTRAP_SERVERS"),
        env.string("KAFKA_TOPIC_PREFIX", ""),
        env.integer("KAFKA_REQUEST_TIMEOUT_MS", 5000, 500, 120000));
  }

  /** Settings shared by every client: fast reconnects so a returning broker is noticed quickly. */
  public Map<String, String> clientConfig(String clientId) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("client.id", clientId);
    config.put("reconnect.backoff.ms", "100");
    config.put("reconnect.backoff.max.ms", "2000");
    config.put("request.timeout.ms", String.valueOf(requestTimeoutMs));
    return config;
  }
}
