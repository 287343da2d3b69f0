package io.shutterbus.testkit;

import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** postgres:16 and apache/kafka:3.7.1 in Docker, for machines that have an engine. */
final class ContainerServers extends Servers {
  private final PostgreSQLContainer<?> pg = new PostgreSQLContainer<>(DockerImageName.parse("postgres:16"));
  private final KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:3.7.1"));

  ContainerServers() {
    pg.start();
    kafka.start();
  }

  @Override
  String name() {
    return "containers";
  }

  @Override
  String pgHost() {
    return pg.getHost();
  }

  @Override
  int pgPort() {
    return pg.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  @Override
  String pgUser() {
    return pg.getUsername();
  }

  @Override
  String pgPassword() {
    return pg.getPassword();
  }

  @Override
  String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public void close() {
    kafka.stop();
    pg.stop();
  }
}
