package io.shutterbus.testkit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each test class gets a real database and topic prefix of its own, on servers shared by the JVM. */
@ExtendWith(InfraExtension.class)
class InfraExtensionIT {
  static Infra atStart;

  @org.junit.jupiter.api.BeforeAll
  static void remember(Infra infra) {
    atStart = infra;
  }

  @Test
  void givesAWorkingDatabaseAndBroker(Infra infra) throws Exception {
    InfraRoundTrip.check(infra);
    assertTrue(infra.env().containsKey("KAFKA_BOOTSTRAP_SERVERS"));
  }

  @Test
  void theSameClassSeesTheSameInfra(Infra infra) {
    assertSame(atStart, infra);
  }

  @Nested
  @ExtendWith(InfraExtension.class)
  class AnotherClass {
    @Test
    void isIsolated(Infra other) throws Exception {
      assertNotEquals(atStart.pgDatabase(), other.pgDatabase());
      assertNotEquals(atStart.topicPrefix(), other.topicPrefix());
      InfraRoundTrip.check(other);  // its own "probe" table and topic: no clash with the outer class
    }
  }
}
