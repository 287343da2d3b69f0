package io.shutterbus.events.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.image.ImageChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events CLI image (for `kubectl run`) runs EventsCli as 65532 and exposes no port. */
class ContainerImageIT {

  @Test
  void eventsImageRunsTheCliWithKafkaClientsAndNoPorts() throws Exception {
    var image = ImageChecks.readCheckImage("jib-image-check.tar");
    ImageChecks.assertServiceImage(image, "events", EventsCli.class, List.of(),
        List.of("picocli-", "kafka-clients-", "service-kit-"));
    assertTrue(image.layer("classes").files().keySet().stream().anyMatch(f -> f.endsWith("cli/TailCommand.class")));
  }
}
