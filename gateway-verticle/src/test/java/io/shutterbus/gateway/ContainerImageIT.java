package io.shutterbus.gateway;

import io.shutterbus.testkit.image.ImageChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway image (built offline on scratch by the image-check execution) runs GatewayService as 65532. */
class ContainerImageIT {

  @Test
  void gatewayImageRunsTheGatewayMainAsNonRootWithItsPortsAndJars() throws Exception {
    ImageChecks.assertServiceImage(ImageChecks.readCheckImage("jib-image-check.tar"), "gateway",
        GatewayService.class, List.of("8080/tcp", "9080/tcp"),
        List.of("service-kit-", "events-", "vertx-http-proxy-", "vertx-core-", "kafka-clients-"));
  }
}
