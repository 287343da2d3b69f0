package io.shutterbus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.kit.uploads.UploadLayout;
import io.shutterbus.testkit.uploads.UploadServingCases;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With GATEWAY_UPLOADS_DIR (the one-process platform) the gateway serves /uploads from the store
 * itself: every case the image service answers, answered the same way, plus the gateway's own
 * headers, and the image service is never asked.
 */
class GatewayServesUploadsIT extends UploadServingCases {
  @TempDir
  Path dir;
  private GatewayHarness h;
  private UploadLayout layout;

  @Override
  protected int startServer() throws Exception {
    layout = UploadLayout.under(dir.resolve("images"));
    Files.createDirectories(layout.originals());
    h = GatewayHarness.start(x -> Map.of("GATEWAY_UPLOADS_DIR", layout.root().toString()));
    return h.port;
  }

  @Override
  protected void stopServer() throws Exception {
    h.close();
  }

  @Override
  protected String expectedCsp() {
    return "default-src 'none'; sandbox; frame-ancestors 'none'";  // as proxied answers have it
  }

  /** A path like /uploads/../x is /x once normalised: the portal's (an echo here), as it always was. */
  @Override
  protected boolean handedOn(String rawAnswer) {
    return rawAnswer.contains("\"upstream\":\"portal\"");
  }

  @Override
  protected Path storeRoot() {
    return layout.root();
  }

  @Override
  protected void storeOriginal(byte[] data, String sha256, String extension) throws Exception {
    write(layout.original(sha256, extension), data);
  }

  @Override
  protected void storeThumbnail(int size, String sha256, byte[] jpeg) throws Exception {
    write(layout.thumbnail(size, sha256), jpeg);
  }

  @Override
  protected boolean originalStored(String sha256, String extension) {
    return Files.isRegularFile(layout.original(sha256, extension));
  }

  private static void write(Path file, byte[] data) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, data);
  }

  @Test
  void filesCarryTheGatewaysHeadersAndNeverReachTheImageService() throws Exception {
    byte[] data = "not an image, served as stored".getBytes(StandardCharsets.UTF_8);
    String sha = sha256(data);
    storeOriginal(data, sha, "png");
    HttpResponse<Buffer> res = h.client.get("/uploads/" + sha + ".png").send().await(10, TimeUnit.SECONDS);
    assertEquals(200, res.statusCode());
    assertEquals("DENY", res.getHeader("x-frame-options"));
    assertEquals("no-referrer", res.getHeader("referrer-policy"));
    assertEquals(1, res.headers().getAll("content-security-policy").size());
    assertEquals(1, res.headers().getAll("x-content-type-options").size());
    assertEquals(0, h.image.requests.get(), "the image service is not asked");
    String metrics = h.scrapeMetrics();
    assertTrue(metrics.contains("route=\"/uploads/*\""), "the same route label as before");
  }
}
