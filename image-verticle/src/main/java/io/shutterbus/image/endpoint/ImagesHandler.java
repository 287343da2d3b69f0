package io.shutterbus.image.endpoint;

import io.shutterbus.events.Outbox;
import io.shutterbus.image.ImageEvents;
import io.shutterbus.image.db.DeletedImage;
import io.shutterbus.image.db.ImagePage;
import io.shutterbus.image.db.ImageRecord;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.db.PageRequest;
import io.shutterbus.image.store.BlobCollector;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's images: {@code GET /api/images} (newest first, keyset pages {items, nextCursor}),
 * {@code GET /api/images/{id}}, {@code DELETE /api/images/{id}} and
 * {@code POST /api/images/{id}/reprocess}. Another user's image, a deleted one and an id that is no
 * UUID are all the same 404.
 */
public final class ImagesHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ImagesHandler.class);
  private final Pool pool;
  private final ImageRepository repo;
  private final BlobCollector blobs;
  private final List<Integer> thumbnailSizes;

  public ImagesHandler(Pool pool, ImageRepository repo, BlobCollector blobs, List<Integer> thumbnailSizes) {
    this.pool = pool;
    this.repo = repo;
    this.blobs = blobs;
    this.thumbnailSizes = List.copyOf(thumbnailSizes);
  }

  public void list(RoutingContext ctx) {
    UUID owner = Callers.owner(ctx);
    PageRequest page = PageRequest.parse(ctx.request().getParam("limit"), ctx.request().getParam("cursor"));
    repo.pageByOwner(pool, owner, page)
        .onSuccess(p -> json(ctx, 200, toJson(p)))
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    UUID owner = Callers.owner(ctx);
    UUID id = Callers.imageId(ctx);
    repo.findByIdAndOwner(pool, id, owner)
        .compose(ImagesHandler::found)
        .onSuccess(image -> json(ctx, 200, image.toJson(thumbnailSizes)))
        .onFailure(ctx::fail);
  }

  /**
   * Deletes the row and announces it (one transaction); only after the commit are the blob and its
   * thumbnails removed, when no image uses them (a failed removal is left to the orphan sweep).
   */
  public void delete(RoutingContext ctx) {
    UUID owner = Callers.owner(ctx);
    UUID id = Callers.imageId(ctx);
    pool.withTransaction(tx -> repo.deleteImage(tx, id, owner).compose(deleted -> {
          if (deleted.isEmpty()) {
            return Future.<DeletedImage>failedFuture(Callers.noSuchImage());
          }
          return Outbox.append(tx, ImageRepository.SCHEMA, ImageEvents.deleted(deleted.get(), Instant.now()))
              .map(deleted.get());
        }))
        .compose(d -> d.blobStillReferenced() ? Future.succeededFuture() : blobs.removeIfUnused(d.sha256())
            .<Void>mapEmpty()
            .recover(e -> {
              LOG.warn("image {}: deleted, but its files stay until the orphan sweep: {}", id, e.toString());
              return Future.succeededFuture();
            }))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /**
   * Sends a ready or failed image through the pipeline again: status processing and a new
   * {@code images.uploaded} in one transaction; 202 with the image. An image still processing is
   * a 409: its job is queued or running already.
   */
  public void reprocess(RoutingContext ctx) {
    UUID owner = Callers.owner(ctx);
    UUID id = Callers.imageId(ctx);
    UUID eventId = UUID.randomUUID();
    pool.withTransaction(tx -> repo.markReprocessing(tx, id, owner, eventId).compose(marked -> marked.isPresent()
            ? Outbox.append(tx, ImageRepository.SCHEMA, ImageEvents.reprocess(marked.get(), eventId, Instant.now()))
                .map(marked.get())
            : repo.findByIdAndOwner(tx, id, owner).compose(ImagesHandler::found)
                .compose(processing -> Future.<ImageRecord>failedFuture(stillProcessing()))))
        .onSuccess(image -> {
          ctx.response().putHeader("location", "/api/images/" + image.id());
          json(ctx, 202, image.toJson(thumbnailSizes));
        })
        .onFailure(ctx::fail);
  }

  private JsonObject toJson(ImagePage page) {
    JsonArray items = new JsonArray();
    page.items().forEach(image -> items.add(image.toJson(thumbnailSizes)));
    return new JsonObject().put("items", items).put("nextCursor", page.nextCursor());
  }

  private static Future<ImageRecord> found(Optional<ImageRecord> image) {
    return image.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(Callers.noSuchImage()));
  }

  private static ProblemException stillProcessing() {
    return ProblemException.of(409, "image-processing", "Conflict",
        "This image is being processed already; reprocess it once it is ready or has failed.");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }
}
