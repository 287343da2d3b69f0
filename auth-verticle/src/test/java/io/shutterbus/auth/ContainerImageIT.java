package io.shutterbus.auth;

import io.shutterbus.testkit.image.ImageChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The auth image (built offline on scratch by the image-check execution) runs AuthService as 65532. */
class ContainerImageIT {

  @Test
  void authImageRunsTheAuthMainAsNonRootWithItsPortsAndJars() throws Exception {
    ImageChecks.assertServiceImage(ImageChecks.readCheckImage("jib-image-check.tar"), "auth",
        AuthService.class, List.of("8081/tcp", "9081/tcp"),
        List.of("service-kit-", "events-", "bcprov-jdk18on-", "vertx-pg-client-", "vertx-auth-jwt-"));
  }
}
