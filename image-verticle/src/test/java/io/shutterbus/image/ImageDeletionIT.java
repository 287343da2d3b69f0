package io.shutterbus.image;

import static io.shutterbus.image.ImageApiIT.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.store.BlobCollector;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blob files go only after the deleting transaction committed: a deletion that fails keeps the
 * image whole, and files that no image refers to any more are swept.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageDeletionIT {
  private TestIdentity identity;
  private Path storage;
  private ImageApp service;
  private ImageClient api;
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start(Infra infra) throws Exception {
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    identity = new TestIdentity();
    storage = Files.createTempDirectory("image-deletion-it");
    Map<String, String> env = new HashMap<>(infra.env());
    env.putAll(identity.env());
    env.put("IMAGE_STORAGE_DIR", storage.toString());
    service = ImageApp.service(env);
    api = new ImageClient(service.port);
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, PgSettings.fromEnv(Env.of(infra.env())), "image-deletion-it", 2);
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
    service.close();
    pool.close().await();
    vertx.close().await();
    identity.close();
  }

  @Test
  void aDeletionWhoseTransactionFailsKeepsTheImageAndItsFile() throws Exception {
    String token = identity.token(UUID.randomUUID());
    byte[] png = TestImages.png(77, 55);
    String id = api.uploadAccepted(token, "kept.png", png);
    String url = "/uploads/" + sha256(png) + ".png";
    // The commit of this one deletion fails (a deferred trigger): as a database failing at commit would.
    pool.query("create or replace function images.refuse_commit() returns trigger language plpgsql as"
        + " $$ begin raise exception 'commit refused by the test'; end $$").execute().await();
    pool.query("create constraint trigger refuse_delete after delete on images.images deferrable initially deferred"
        + " for each row when (old.id = '" + UUID.fromString(id) + "') execute function images.refuse_commit()")
        .execute().await();
    try {
      HttpResponse<Buffer> refused = api.send(HttpMethod.DELETE, "/api/images/" + id, token);
      assertNotEquals(204, refused.statusCode(), refused.bodyAsString());
    } finally {
      pool.query("drop trigger refuse_delete on images.images").execute().await();
    }

    assertEquals(200, api.get("/api/images/" + id, token).statusCode(), "the image is still there");
    HttpResponse<Buffer> file = api.get(url, null);
    assertEquals(200, file.statusCode(), "and so is its file");
    assertArrayEquals(png, file.body().getBytes());

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/images/" + id, token).statusCode());
    assertEquals(404, api.get(url, null).statusCode(), "a committed deletion removes the file");
  }

  @Test
  void theSweepRemovesFilesNoImageRefersToAndKeepsTheOthers() throws Exception {
    String token = identity.token(UUID.randomUUID());
    byte[] png = TestImages.png(66, 44);
    String used = sha256(png);
    api.uploadAccepted(token, "used.png", png);
    ContentStore store = ContentStore.open(storage);
    String orphan = sha256(TestImages.png(12, 34));
    Path tmp = store.newTempFile();
    Files.write(tmp, TestImages.png(12, 34));
    store.putOriginal(tmp, orphan, ImageFormat.PNG);
    store.putThumbnail(256, orphan, TestImages.jpeg(12, 34));
    String lostThumbnail = sha256(TestImages.png(13, 34));  // thumbnails only: their original went before
    store.putThumbnail(256, lostThumbnail, TestImages.jpeg(13, 34));
    String fresh = sha256(TestImages.png(14, 34));  // just written: maybe an upload still in progress
    store.putThumbnail(256, fresh, TestImages.jpeg(14, 34));
    FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    for (Path p : new Path[] {store.originalPath(orphan, ImageFormat.PNG), store.thumbnailPath(256, orphan),
        store.thumbnailPath(256, lostThumbnail), store.originalPath(used, ImageFormat.PNG)}) {
      Files.setLastModifiedTime(p, anHourAgo);
    }

    BlobCollector blobs = new BlobCollector(vertx, pool, new ImageRepository(), store);
    assertEquals(2, blobs.sweep(Duration.ofMinutes(10)).await());
    assertFalse(Files.exists(store.originalPath(orphan, ImageFormat.PNG)));
    assertFalse(Files.exists(store.thumbnailPath(256, orphan)));
    assertFalse(Files.exists(store.thumbnailPath(256, lostThumbnail)));
    assertTrue(Files.exists(store.thumbnailPath(256, fresh)), "younger than the sweep's minimum age");
    assertEquals(200, api.get("/uploads/" + used + ".png", null).statusCode(), "an image's file stays");
    assertEquals(0, blobs.sweep(Duration.ofMinutes(10)).await(), "nothing left to sweep");
  }
}
