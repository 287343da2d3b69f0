package io.shutterbus.kit.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a service finds Kafka. {@code topicPrefix} is empty in production; tests use it to give
 * each test class topics of its own on one shared broker. {@code sessionTimeoutMs} is how long a
 * consumer that died without leaving (a killed process) keeps its partitions before the group
 * hands them to the others (brokers accept 6 s at least by default).
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int requestTimeoutMs, int sessionTimeoutMs) {
  public static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;

  public KafkaSettings(String bootstrapServers, String topicPrefix, int requestTimeoutMs) {
    this(bootstrapServers, topicPrefix, requestTimeoutMs, DEFAULT_SESSION_TIMEOUT_MS);
  }

  public static KafkaSettings fromEnv(Env env) {
    return new KafkaSettings(
        env.required("KAFKA_BOOTSTRAP_SERVERS"),
        env.string("KAFKA_TOPIC_PREFIX", ""),
        env.integer("KAFKA_REQUEST_TIMEOUT_MS", 5000, 500, 120000),
        env.integer("KAFKA_SESSION_TIMEOUT_MS", DEFAULT_SESSION_TIMEOUT_MS, 6000, 300000));
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
