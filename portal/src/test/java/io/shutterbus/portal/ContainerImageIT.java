package io.shutterbus.portal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.image.ImageChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The portal image runs PortalService as 65532 and carries the web UI files. */
class ContainerImageIT {

  @Test
  void portalImageRunsThePortalMainAndCarriesTheWebRoot() throws Exception {
    var image = ImageChecks.readCheckImage("jib-image-check.tar");
    ImageChecks.assertServiceImage(image, "portal", PortalService.class, List.of("8083/tcp", "9083/tcp"),
        List.of("service-kit-", "vertx-web-"));
    assertTrue(image.layer("resources").files().containsKey("app/resources/webroot/index.html"),
        "index.html in the resources layer");
  }
}
