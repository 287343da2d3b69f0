package io.shutterbus.testkit;

import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Embedded PostgreSQL and Kafka on free loopback ports in a temporary directory. */
final class EmbeddedServers extends Servers {
  private final Path dir;
  private final EmbeddedPostgres pg;
  private final EmbeddedKafka kafka;

  EmbeddedServers() throws IOException {
    dir = Files.createTempDirectory("shutterbus-test-infra");
    pg = EmbeddedPostgres.start(dir.resolve("postgres"), FreePorts.next());
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), FreePorts.next(), FreePorts.next());
  }

  @Override
  String name() {
    return "embedded";
  }

  @Override
  String pgHost() {
    return "127.0.0.1";
  }

  @Override
  int pgPort() {
    return pg.port();
  }

  @Override
  String pgUser() {
    return EmbeddedPostgres.SUPERUSER;
  }

  @Override
  String pgPassword() {
    return "embedded-trust-auth";
  }

  @Override
  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public void close() throws IOException {
    try {
      kafka.close();
    } finally {
      pg.close();
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
