package io.shutterbus.image;

import io.shutterbus.testkit.image.ImageChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two images from this module: image (API + files) and image-worker (management port only). */
class ContainerImageIT {

  @Test
  void imageServiceImageRunsImageServiceWithItsPortsAndDecoders() throws Exception {
    ImageChecks.assertServiceImage(ImageChecks.readCheckImage("jib-image-check.tar"), "image",
        ImageService.class, List.of("8082/tcp", "9082/tcp"),
        List.of("service-kit-", "events-", "vertx-pg-client-", "imageio-webp-"));
  }

  @Test
  void workerImageRunsImageWorkerServiceWithOnlyItsManagementPort() throws Exception {
    ImageChecks.assertServiceImage(ImageChecks.readCheckImage("jib-image-worker-check.tar"), "image-worker",
        ImageWorkerService.class, List.of("9084/tcp"),
        List.of("service-kit-", "events-", "imageio-webp-", "imageio-jpeg-"));
  }
}
