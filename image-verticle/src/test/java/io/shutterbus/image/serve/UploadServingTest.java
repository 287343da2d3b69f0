package io.shutterbus.image.serve;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.uploads.UploadServing;
import io.shutterbus.testkit.uploads.UploadServingCases;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/** The image service's /uploads answers, on a router as ImageVerticle mounts it, over a ContentStore. */
class UploadServingTest extends UploadServingCases {
  @TempDir
  Path dir;
  private ContentStore store;
  private Vertx vertx;

  @Override
  protected int startServer() throws Exception {
    store = ContentStore.open(dir.resolve("store"));
    vertx = Vertx.vertx();
    Router router = Routers.create(vertx);
    new UploadServing(store.layout(), Set.of(256, 1024)).mount(router);
    return vertx.createHttpServer().requestHandler(router).listen(0).await().actualPort();
  }

  @Override
  protected void stopServer() {
    vertx.close().await();
  }

  @Override
  protected Path storeRoot() {
    return store.root();
  }

  @Override
  protected void storeOriginal(byte[] data, String sha256, String extension) throws Exception {
    Path tmp = store.newTempFile();
    Files.write(tmp, data);
    store.putOriginal(tmp, sha256, ImageFormat.fromExtension(extension).orElseThrow());
  }

  @Override
  protected void storeThumbnail(int size, String sha256, byte[] jpeg) throws Exception {
    store.putThumbnail(size, sha256, jpeg);
  }

  @Override
  protected boolean originalStored(String sha256, String extension) {
    return store.hasOriginal(sha256, ImageFormat.fromExtension(extension).orElseThrow());
  }
}
