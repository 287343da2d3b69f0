package io.shutterbus.image.store;

import io.shutterbus.events.Outbox;
import io.shutterbus.image.ImageEvents;
import io.shutterbus.image.db.ImageRecord;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.db.ImageRepository.LegacyBlob;
import io.shutterbus.image.db.ImageStatus;
import io.shutterbus.image.format.MetadataStripper;
import io.shutterbus.image.render.ExifFacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the blobs that earlier versions stored with their metadata (rows with {@code stripped =
 * false}), so no public file keeps a GPS position just because it was uploaded before uploads were
 * stripped. Per blob: the stripped copy is written on a worker thread and stored under its own
 * hash, with the thumbnails copied (same pixels); then ONE transaction, under both blobs' locks,
 * points the rows at it (camera and date kept in {@code exif_facts}) and puts a fresh
 * {@code images.processed} in the outbox for each ready image (dated when it was processed, so
 * auth moves the URL of an avatar that is still current and no older avatar comes back); then the old blob is removed if nothing refers to it any more
 * ({@link BlobCollector}). Images being processed are left for a later run. Safe on every
 * replica at once: the locks and the {@code not stripped} condition let one of them do each blob.
 */
public final class MetadataBackfill {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataBackfill.class);
  private final Vertx vertx;
  private final Pool pool;
  private final ImageRepository repo;
  private final ContentStore store;
  private final BlobCollector blobs;
  private final List<Integer> thumbnailSizes;

  public MetadataBackfill(Vertx vertx, Pool pool, ImageRepository repo, ContentStore store, List<Integer> thumbnailSizes) {
    this.vertx = vertx;
    this.pool = pool;
    this.repo = repo;
    this.store = store;
    this.blobs = new BlobCollector(vertx, pool, repo, store);
    this.thumbnailSizes = List.copyOf(thumbnailSizes);
  }

  /** Rewrites up to {@code limit} legacy blobs, one after the other; answers how many it looked at. */
  public Future<Integer> run(int limit) {
    return repo.unstrippedBlobs(pool, limit).compose(legacy -> {
      Future<Void> chain = Future.succeededFuture();
      for (LegacyBlob blob : legacy) {
        chain = chain.compose(v -> rewrite(blob).recover(err -> {
          LOG.warn("could not rewrite the blob {} without its metadata: {}", blob.sha256(), err.toString());
          return Future.succeededFuture();
        }));
      }
      return chain.map(legacy.size());
    });
  }

  private Future<Void> rewrite(LegacyBlob blob) {
    return vertx.executeBlocking(() -> strippedCopy(blob), false).compose(copy -> {
      if (copy == null) {
        return pool.withTransaction(tx -> repo.markStripped(tx, blob.sha256()));
      }
      return pool.withTransaction(tx -> repo.lockBlobs(tx, blob.sha256(), copy.sha256)
              .compose(v -> vertx.executeBlocking(() -> {
                store.putOriginal(copy.file, copy.sha256, blob.format());
                store.copyThumbnails(blob.sha256(), copy.sha256);
                return null;
              }, false))
              .compose(v -> repo.moveToStripped(tx, blob.sha256(), copy.sha256, copy.bytes))
              .compose(moved -> announce(tx, moved)))
          .compose(moved -> blobs.removeIfUnused(blob.sha256()))
          .onSuccess(removed -> LOG.info("stored {} without its metadata as {}", blob.sha256(), copy.sha256))
          .eventually(() -> vertx.executeBlocking(() -> Files.deleteIfExists(copy.file), false))
          .mapEmpty();
    });
  }

  /** The stripped copy in the temp directory, or null when the blob is gone or had nothing to strip. */
  private Copy strippedCopy(LegacyBlob blob) throws Exception {
    Path original = store.originalPath(blob.sha256(), blob.format());
    if (!Files.isRegularFile(original)) {
      return null;
    }
    ExifFacts facts = ExifFacts.read(original, blob.format());
    Path temp = store.newTempFile();
    try {
      MetadataStripper.Stripped stripped = MetadataStripper.strip(original, temp, blob.format(), facts.orientation());
      if (stripped.sha256().equals(blob.sha256())) {
        Files.deleteIfExists(temp);
        return null;
      }
      return new Copy(temp, stripped.sha256(), stripped.bytes());
    } catch (Exception e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private Future<List<ImageRecord>> announce(io.vertx.sqlclient.SqlConnection tx, List<ImageRecord> moved) {
    Future<Void> chain = Future.succeededFuture();
    for (ImageRecord image : moved) {
      if (image.status() == ImageStatus.READY) {
        chain = chain.compose(v -> Outbox.append(tx, ImageRepository.SCHEMA,
            ImageEvents.processed(image, thumbnailSizes, image.updatedAt().toInstant())).mapEmpty());
      }
    }
    return chain.map(moved);
  }

  private record Copy(Path file, String sha256, long bytes) {
  }
}
