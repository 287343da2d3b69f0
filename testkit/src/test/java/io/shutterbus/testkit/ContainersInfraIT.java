package io.shutterbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Where a Docker engine answers, the shared servers are postgres:16 and apache/kafka:3.7.1 containers. */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(InfraExtension.class)
class ContainersInfraIT {
  @Test
  void usesContainersWhenDockerIsThere(Infra infra) throws Exception {
    if (!"embedded".equals(System.getenv("SHUTTERBUS_TEST_INFRA"))) {
      assertEquals("containers", infra.backend());
    }
    InfraRoundTrip.check(infra);
  }
}
