package io.shutterbus.testkit;

import java.util.Collection;
import java.util.Map;

/**
 * What a test class gets from {@link InfraExtension}: a PostgreSQL database and a Kafka topic
 * prefix of its own, on servers shared by the whole test JVM.
 */
public interface Infra {
  String pgHost();

  int pgPort();

  String pgDatabase();

  String pgUser();

  String pgPassword();

  String bootstrapServers();

  /** Prepended to every topic name the class uses, e.g. {@code gatewayit-1f3a.}. */
  String topicPrefix();

  /** Creates the topics (with the prefix already applied by the caller) unless they exist. */
  void createTopics(Collection<String> topics, int partitions);

  /** Which backend serves this run: {@code embedded} or {@code containers}. */
  String backend();

  /** The environment a service needs to use these servers: PG_*, KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC_PREFIX. */
  default Map<String, String> env() {
    return Map.of(
        "PG_HOST", pgHost(),
        "PG_PORT", Integer.toString(pgPort()),
        "PG_DATABASE", pgDatabase(),
        "PG_USER", pgUser(),
        "PG_PASSWORD", pgPassword(),
        "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
        "KAFKA_TOPIC_PREFIX", topicPrefix());
  }
}
