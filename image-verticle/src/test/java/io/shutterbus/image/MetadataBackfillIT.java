package io.shutterbus.image;

import static io.shutterbus.image.ImageApiIT.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.image.store.MetadataBackfill;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blobs stored with their metadata by versions before uploads were stripped: the backfill rewrites
 * them without it, points their rows at the new blob, keeps what the owner is shown, re-announces
 * ready images and removes the old files; images being processed wait for a later run.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataBackfillIT {
  private Vertx vertx;
  private Pool pool;
  private ContentStore store;

  @BeforeAll
  void start(Infra infra) throws Exception {
    vertx = Vertx.vertx();
    PgSettings pg = PgSettings.fromEnv(Env.of(infra.env()));
    ImageService.migrate(vertx, pg, "backfill-it").await();
    pool = PgPools.create(vertx, pg, "backfill-it", 2);
    store = ContentStore.open(Files.createTempDirectory("backfill-it"));
  }

  @AfterAll
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void aLegacyBlobWithGpsIsRewrittenWithoutItAndItsRowsFollowWhileProcessingOnesWait() throws Exception {
    byte[] photo = TestImages.jpegWithGps(300, 200, 6);
    String legacy = sha256(photo);
    Files.createDirectories(store.originalPath(legacy, ImageFormat.JPEG).getParent());
    Files.write(store.originalPath(legacy, ImageFormat.JPEG), photo);
    byte[] thumb = TestImages.jpeg(20, 30);
    store.putThumbnail(256, legacy, thumb);
    store.putThumbnail(1024, legacy, thumb);
    JsonObject shown = new JsonObject().put("orientation", 6)
        .put("camera", new JsonObject().put("make", "Apple").put("model", "iPhone 12")).put("takenAt", "2024-07-14T18:30");
    UUID avatar = legacyRow(legacy, "jpeg", photo.length, "avatar", "ready", shown);
    UUID gallery = legacyRow(legacy, "jpeg", photo.length, "gallery", "ready", shown);
    byte[] busyPng = TestImages.concat(TestImages.png(40, 40), TestImages.ascii(TestImages.GPS_SECRET));
    String busy = sha256(busyPng);
    Files.createDirectories(store.originalPath(busy, ImageFormat.PNG).getParent());
    Files.write(store.originalPath(busy, ImageFormat.PNG), busyPng);
    UUID processing = legacyRow(busy, "png", busyPng.length, "gallery", "processing", null);

    MetadataBackfill backfill = new MetadataBackfill(vertx, pool, new ImageRepository(), store, List.of(256, 1024));
    assertEquals(1, backfill.run(100).await(), "one blob is ready to rewrite; the processing one waits");

    Row row = row(avatar);
    String stripped = row.getString("sha256");
    assertNotEquals(legacy, stripped);
    byte[] stored = Files.readAllBytes(store.originalPath(stripped, ImageFormat.JPEG));
    assertEquals(stripped, sha256(stored), "named by the bytes it holds");
    assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(TestImages.GPS_SECRET));
    assertEquals(stored.length, row.getLong("bytes"));
    assertTrue(row.getBoolean("stripped"));
    assertEquals(new JsonObject().put("camera", shown.getJsonObject("camera")).put("takenAt", "2024-07-14T18:30"),
        row.getJsonObject("exif_facts"), "what the owner is shown survives a reprocess of the stripped file");
    assertEquals(stripped, row(gallery).getString("sha256"), "every row of the blob follows it");
    assertTrue(Files.isRegularFile(store.thumbnailPath(256, stripped)) && Files.isRegularFile(store.thumbnailPath(1024, stripped)),
        "the thumbnails come along (same pixels)");
    assertFalse(Files.exists(store.originalPath(legacy, ImageFormat.JPEG)), "the file with the GPS is gone");
    assertFalse(Files.exists(store.thumbnailPath(256, legacy)));
    for (UUID id : List.of(avatar, gallery)) {
      List<String> announced = new java.util.ArrayList<>();
      pool.preparedQuery("select payload from images.outbox where key = $1").execute(Tuple.of(id.toString())).await()
          .forEach(r -> announced.add(r.getString("payload")));
      assertEquals(1, announced.size(), "one images.processed for each ready image");
      JsonObject event = new JsonObject(announced.get(0));
      assertEquals("/uploads/" + stripped + ".jpg", event.getString("url"));
      assertEquals("/uploads/thumbs/256/" + stripped + ".jpg", event.getJsonObject("thumbnails").getString("256"));
    }

    Row waiting = row(processing);
    assertEquals(busy, waiting.getString("sha256"));
    assertFalse(waiting.getBoolean("stripped"));
    assertTrue(Files.exists(store.originalPath(busy, ImageFormat.PNG)), "its worker may be reading it");
    assertEquals(0, backfill.run(100).await(), "nothing left but the image being processed");

    pool.preparedQuery("update images.images set status = 'failed', failure_reason = 'x' where id = $1")
        .execute(Tuple.of(processing)).await();
    assertEquals(1, backfill.run(100).await());
    String rewritten = row(processing).getString("sha256");
    assertFalse(new String(Files.readAllBytes(store.originalPath(rewritten, ImageFormat.PNG)), StandardCharsets.ISO_8859_1)
        .contains(TestImages.GPS_SECRET), "the trailer after IEND is gone too");
    assertEquals(0, pool.preparedQuery("select count(*) from images.outbox where key = $1")
        .execute(Tuple.of(processing.toString())).await().iterator().next().getLong(0), "a failed image is not announced");
  }

  private UUID legacyRow(String sha, String format, long bytes, String purpose, String status, JsonObject metadata) {
    UUID id = UUID.randomUUID();
    UUID owner = UUID.randomUUID();
    pool.preparedQuery("insert into images.users (user_id) values ($1)").execute(Tuple.of(owner)).await();
    pool.preparedQuery("insert into images.images (id, owner_id, sha256, format, bytes, width, height, purpose, status,"
            + " metadata, pending_event_id, stripped) values ($1, $2, $3, $4, $5, 300, 200, $6, $7, $8, $9, false)")
        .execute(Tuple.tuple(List.of(id, owner, sha, format, bytes, purpose, status)).addValue(metadata)
            .addValue(UUID.randomUUID()))
        .await();
    return id;
  }

  private Row row(UUID id) {
    return pool.preparedQuery("select * from images.images where id = $1").execute(Tuple.of(id)).await().iterator().next();
  }
}
