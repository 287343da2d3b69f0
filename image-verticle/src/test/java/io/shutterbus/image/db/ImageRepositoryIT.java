package io.shutterbus.image.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.render.ImageMetadata;
import io.shutterbus.image.render.RenderResult;
import io.shutterbus.image.render.Thumbnail;
import io.shutterbus.image.upload.UploadLimits;
import io.shutterbus.image.upload.UploadPurpose;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageRepositoryIT {
  private final ImageRepository repo = new ImageRepository();
  private final UploadLimits limits = UploadLimits.defaults();
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start(Infra infra) {
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, PgSettings.fromEnv(Env.of(infra.env())), "images-it", 8);
    assertEquals(3, repo.migrate(pool, ImageRepository.migrations()).await());
  }

  @AfterAll
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void migratingAgainChangesNothing() {
    assertEquals(0, repo.migrate(pool, ImageRepository.migrations()).await(), "nothing left to apply");
    assertEquals(3, pool.query("select count(*) from images.schema_version").execute().await()
        .iterator().next().getLong(0));
  }

  @Test
  void anImageIsInsertedProcessingAndOnlyItsOwnerFindsIt() {
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, sha(), 1234);
    ImageRecord inserted = insert(image, limits);
    assertEquals(ImageStatus.PROCESSING, inserted.status());
    assertEquals(image.id(), inserted.id());
    assertEquals(1234, inserted.bytes());
    assertEquals(ImageFormat.PNG, inserted.format());
    assertEquals(UploadPurpose.GALLERY, inserted.purpose());
    assertNull(inserted.metadata());
    assertEquals("/uploads/" + image.sha256() + ".png", inserted.url());

    assertEquals(Optional.of(inserted), repo.findByIdAndOwner(pool, image.id(), owner).await());
    assertEquals(Optional.empty(), repo.findByIdAndOwner(pool, image.id(), UUID.randomUUID()).await());
    assertEquals(Optional.empty(), repo.findByIdAndOwner(pool, UUID.randomUUID(), owner).await());
    assertEquals(Optional.of(inserted), repo.findById(pool, image.id()).await());
  }

  @Test
  void theInsertJoinsTheCallersTransaction() {
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, sha(), 10);
    Future<Void> rolledBack = pool.withTransaction(tx -> repo.insertImage(tx, image, limits)
        .compose(r -> Future.failedFuture(new IllegalStateException("the outbox write failed"))));
    assertThrows(IllegalStateException.class, rolledBack::await);
    assertEquals(Optional.empty(), repo.findById(pool, image.id()).await(), "no row without its event");
  }

  @Test
  void registrationProvisioningIsIdempotentAndAnUploadMayComeFirst() {
    UUID registered = UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.parse("2025-01-02T03:04:05Z");
    assertTrue(repo.provisionUser(pool, registered, at).await());
    assertFalse(repo.provisionUser(pool, registered, at).await(), "a redelivered users.registered changes nothing");

    UUID early = UUID.randomUUID();
    insert(newImage(early, sha(), 10), limits);
    assertTrue(repo.provisionUser(pool, early, at).await(), "the registration still lands after an early upload");
    assertFalse(repo.provisionUser(pool, early, at).await());
    assertEquals(1, repo.quotaUsage(pool, early, limits).await().usedCount());
  }

  @Test
  void theImageCountQuotaHolds() {
    UUID owner = UUID.randomUUID();
    UploadLimits two = new UploadLimits(1000, 1000, 1_000_000, 2);
    insert(newImage(owner, sha(), 100), two);
    insert(newImage(owner, sha(), 100), two);
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> insert(newImage(owner, sha(), 100), two));
    assertEquals(new QuotaUsage(200, 2, 1_000_000, 2), e.usage());
    ProblemException problem = e.toProblem();
    assertEquals(403, problem.status());
    assertTrue(problem.getMessage().contains("2 images"), problem.getMessage());
    assertEquals(new QuotaUsage(200, 2, 1_000_000, 2), repo.quotaUsage(pool, owner, two).await());
  }

  @Test
  void theByteQuotaHolds() {
    UUID owner = UUID.randomUUID();
    UploadLimits small = new UploadLimits(1000, 1000, 1000, 100);
    insert(newImage(owner, sha(), 600), small);
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> insert(newImage(owner, sha(), 401), small));
    assertTrue(e.toProblem().getMessage().contains("600 of 1000 bytes"), e.toProblem().getMessage());
    insert(newImage(owner, sha(), 400), small);
    assertEquals(new QuotaUsage(1000, 2, 1000, 100), repo.quotaUsage(pool, owner, small).await());
  }

  @Test
  void concurrentUploadsCannotOvershootTheQuota() {
    UUID owner = UUID.randomUUID();
    UploadLimits three = new UploadLimits(1000, 1000, 1_000_000, 3);
    List<Future<ImageRecord>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      NewImage image = newImage(owner, sha(), 10);
      attempts.add(pool.withTransaction(tx -> repo.insertImage(tx, image, three)));
    }
    Future.join(attempts).otherwiseEmpty().await();
    long succeeded = attempts.stream().filter(Future::succeeded).count();
    assertEquals(3, succeeded);
    attempts.stream().filter(Future::failed).forEach(f -> assertInstanceOf(QuotaExceededException.class, f.cause()));
    assertEquals(3, repo.quotaUsage(pool, owner, three).await().usedCount());
  }

  @Test
  void anOwnersImagesArePagedNewestFirstWithoutGapsOrRepeats() {
    UUID owner = UUID.randomUUID();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(0, insert(newImage(owner, sha(), 10), limits).id());
    }
    insert(newImage(UUID.randomUUID(), sha(), 10), limits);  // someone else's

    List<UUID> seen = new ArrayList<>();
    ImagePage page = repo.pageByOwner(pool, owner, PageRequest.parse("2", null)).await();
    List<Integer> sizes = new ArrayList<>();
    while (true) {
      sizes.add(page.items().size());
      page.items().forEach(r -> seen.add(r.id()));
      if (page.nextCursor() == null) {
        break;
      }
      page = repo.pageByOwner(pool, owner, PageRequest.parse("2", page.nextCursor())).await();
    }
    assertEquals(List.of(2, 2, 1), sizes);
    assertEquals(ids, seen);
    assertEquals(5, repo.pageByOwner(pool, owner, PageRequest.parse(null, null)).await().items().size());
    assertNull(repo.pageByOwner(pool, owner, PageRequest.first(5)).await().nextCursor(), "an exact fit has no next page");
  }

  @Test
  void badPagingParametersAreA400NamingTheField() {
    for (String limit : List.of("0", "101", "ten", "-1")) {
      assertEquals("limit", assertThrows(ProblemException.class, () -> PageRequest.parse(limit, null))
          .extensions().getString("field"));
    }
    for (String cursor : List.of("nope", "AAAA", "!!!")) {
      assertEquals("cursor", assertThrows(ProblemException.class, () -> PageRequest.parse(null, cursor))
          .extensions().getString("field"));
    }
  }

  @Test
  void markingReadyAppliesOnlyThePendingEventOnce() {
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, sha(), 10);
    insert(image, limits);
    RenderResult result = renderResult(image.sha256());

    MarkResult first = repo.markReady(pool, image.id(), image.uploadEventId(), result).await();
    assertEquals(MarkResult.Outcome.UPDATED, first.outcome());
    ImageRecord ready = first.image();
    assertEquals(ImageStatus.READY, ready.status());
    assertEquals(200, ready.width(), "the displayed size after orientation");
    assertEquals(400, ready.height());
    assertEquals("Canon", ready.metadata().getJsonObject("camera").getString("make"));
    assertEquals("/uploads/thumbs/256/" + image.sha256() + ".jpg", ready.toJson(List.of(256, 1024))
        .getJsonObject("thumbnails").getString("256"));

    MarkResult again = repo.markReady(pool, image.id(), image.uploadEventId(), result).await();
    assertEquals(MarkResult.Outcome.ALREADY_APPLIED, again.outcome());
    assertEquals(ready.updatedAt(), again.image().updatedAt(), "a redelivery writes nothing");
    assertEquals(MarkResult.Outcome.ALREADY_APPLIED,
        repo.markFailed(pool, image.id(), image.uploadEventId(), "late").await().outcome());
    assertEquals(MarkResult.Outcome.SUPERSEDED,
        repo.markReady(pool, image.id(), UUID.randomUUID(), result).await().outcome());
    assertEquals(MarkResult.Outcome.NOT_FOUND,
        repo.markReady(pool, UUID.randomUUID(), UUID.randomUUID(), result).await().outcome());
  }

  @Test
  void aFailedImageCanBeReprocessedAndOnlyTheNewEventCounts() {
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, sha(), 10);
    insert(image, limits);
    MarkResult failed = repo.markFailed(pool, image.id(), image.uploadEventId(), "The PNG image is truncated.").await();
    assertEquals(ImageStatus.FAILED, failed.image().status());
    assertEquals("The PNG image is truncated.", failed.image().failureReason());
    assertEquals("The PNG image is truncated.", failed.image().toJson(List.of(256)).getString("failureReason"));

    UUID retry = UUID.randomUUID();
    assertEquals(Optional.empty(), pool.withTransaction(tx -> repo.markReprocessing(tx, image.id(), UUID.randomUUID(), retry))
        .await(), "not someone else's image");
    ImageRecord again = pool.withTransaction(tx -> repo.markReprocessing(tx, image.id(), owner, retry)).await().orElseThrow();
    assertEquals(ImageStatus.PROCESSING, again.status());
    assertNull(again.failureReason());

    RenderResult result = renderResult(image.sha256());
    assertEquals(MarkResult.Outcome.SUPERSEDED,
        repo.markReady(pool, image.id(), image.uploadEventId(), result).await().outcome(), "the old event is stale");
    assertEquals(MarkResult.Outcome.UPDATED, repo.markReady(pool, image.id(), retry, result).await().outcome());
  }

  @Test
  void deletingSaysWhetherTheBlobIsStillReferenced() {
    String shared = sha();
    UUID alice = UUID.randomUUID();
    UUID bob = UUID.randomUUID();
    NewImage a = newImage(alice, shared, 10);
    NewImage b = newImage(bob, shared, 10);
    insert(a, limits);
    insert(b, limits);

    assertEquals(Optional.empty(), pool.withTransaction(tx -> repo.deleteImage(tx, a.id(), bob)).await(),
        "someone else's image is not found");
    assertTrue(repo.findById(pool, a.id()).await().isPresent());

    DeletedImage first = pool.withTransaction(tx -> repo.deleteImage(tx, a.id(), alice)).await().orElseThrow();
    assertEquals(shared, first.sha256());
    assertEquals(ImageFormat.PNG, first.format());
    assertTrue(first.blobStillReferenced(), "bob's image still uses the blob");
    DeletedImage last = pool.withTransaction(tx -> repo.deleteImage(tx, b.id(), bob)).await().orElseThrow();
    assertFalse(last.blobStillReferenced());
    assertEquals(Optional.empty(), pool.withTransaction(tx -> repo.deleteImage(tx, b.id(), bob)).await());
    assertEquals(0, repo.quotaUsage(pool, bob, limits).await().usedCount());
  }

  @Test
  void distinctOwnersAndIdsStaySeparateUnderLoad() {
    Set<UUID> owners = new HashSet<>();
    List<Future<ImageRecord>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UUID owner = UUID.randomUUID();
      owners.add(owner);
      NewImage image = newImage(owner, sha(), 10);
      all.add(pool.withTransaction(tx -> repo.insertImage(tx, image, limits)));
    }
    Future.all(all).await();
    for (UUID owner : owners) {
      assertEquals(1, repo.pageByOwner(pool, owner, PageRequest.first(10)).await().items().size());
    }
  }

  @Test
  void onlyAFinishedImageCanBeSentBackThroughThePipeline() {
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, sha(), 10);
    insert(image, limits);
    assertEquals(Optional.empty(), pool.withTransaction(tx -> repo.markReprocessing(tx, image.id(), owner,
        UUID.randomUUID())).await(), "still processing: its job is queued already");
    assertEquals(image.uploadEventId(), repo.findPipelineState(pool, image.id()).await().orElseThrow().pendingEventId());
    repo.markReady(pool, image.id(), image.uploadEventId(), renderResult(image.sha256())).await();
    UUID again = UUID.randomUUID();
    assertEquals(ImageStatus.PROCESSING, pool.withTransaction(tx -> repo.markReprocessing(tx, image.id(), owner, again))
        .await().orElseThrow().status(), "a ready image may be reprocessed");
    PipelineState state = repo.findPipelineState(pool, image.id()).await().orElseThrow();
    assertTrue(state.waitsFor(again));
    assertFalse(state.waitsFor(image.uploadEventId()));
    assertEquals(Optional.empty(), repo.findPipelineState(pool, UUID.randomUUID()).await());
  }

  @Test
  void aReplayReArmsAFinishedImageOncePerReplayedRecord() {
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, sha(), 10);
    insert(image, limits);
    UUID event = image.uploadEventId();
    assertFalse(repo.rearmForReplay(pool, image.id(), event, "images.uploaded/0@7").await(), "processing: nothing to re-arm");
    repo.markFailed(pool, image.id(), event, "The PNG image is truncated.").await();

    assertFalse(repo.rearmForReplay(pool, image.id(), UUID.randomUUID(), "images.uploaded/0@7").await(),
        "a replay of another event does not touch it");
    assertTrue(repo.rearmForReplay(pool, image.id(), event, "images.uploaded/0@7").await());
    PipelineState rearmed = repo.findPipelineState(pool, image.id()).await().orElseThrow();
    assertEquals(ImageStatus.PROCESSING, rearmed.image().status());
    assertNull(rearmed.image().failureReason());
    assertEquals("images.uploaded/0@7", rearmed.replayMarker());
    assertEquals(MarkResult.Outcome.UPDATED, repo.markReady(pool, image.id(), event, renderResult(image.sha256()))
        .await().outcome(), "the same event applies again after a replay");

    assertFalse(repo.rearmForReplay(pool, image.id(), event, "images.uploaded/0@7").await(),
        "the same replayed record delivered again is a redelivery");
    assertTrue(repo.rearmForReplay(pool, image.id(), event, "images.uploaded/2@9").await(), "a second replay is a new request");
  }

  @Test
  void aBlobIsReferencedWhileAnyImageUsesIt() {
    String blob = sha();
    assertFalse(pool.withTransaction(tx -> repo.isBlobReferenced(tx, blob)).await());
    UUID owner = UUID.randomUUID();
    NewImage image = newImage(owner, blob, 10);
    insert(image, limits);
    assertTrue(pool.withTransaction(tx -> repo.isBlobReferenced(tx, blob)).await());
    pool.withTransaction(tx -> repo.deleteImage(tx, image.id(), owner)).await();
    assertFalse(pool.withTransaction(tx -> repo.isBlobReferenced(tx, blob)).await());
  }

  private ImageRecord insert(NewImage image, UploadLimits l) {
    return pool.withTransaction(tx -> repo.insertImage(tx, image, l)).await();
  }

  private static NewImage newImage(UUID owner, String sha, long bytes) {
    return new NewImage(UUID.randomUUID(), owner, sha, ImageFormat.PNG, bytes, 400, 200, UploadPurpose.GALLERY,
        UUID.randomUUID());
  }

  private static RenderResult renderResult(String sha) {
    return new RenderResult(sha, new ImageMetadata(200, 400, ImageFormat.PNG, 10, 6, "Canon", "EOS",
        LocalDateTime.of(2024, 1, 2, 3, 4, 5)), List.of(new Thumbnail(256, 128, 256), new Thumbnail(1024, 200, 400)));
  }

  private static String sha() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      s.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return s.toString();
  }
}
