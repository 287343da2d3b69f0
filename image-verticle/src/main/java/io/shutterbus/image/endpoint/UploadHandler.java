package io.shutterbus.image.endpoint;

import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.Outbox;
import io.shutterbus.image.ImageEvents;
import io.shutterbus.image.db.ImageRecord;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.db.NewImage;
import io.shutterbus.image.db.QuotaExceededException;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.image.upload.ReceivedUpload;
import io.shutterbus.image.upload.UploadLimits;
import io.shutterbus.image.upload.UploadReceiver;
import io.shutterbus.image.upload.UploadStripper;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/images}: receives the file (streamed, hashed, checked by {@link UploadReceiver}),
 * strips its metadata on a worker thread ({@link UploadStripper}: the store never holds EXIF GPS
 * and the like, and the blob is named by the hash of what it does hold), then in one transaction writes the image row (quota checked), moves the file into the content
 * store and adds {@code images.uploaded} to the outbox, and answers 202 {id, status, url}. The
 * file is moved inside the transaction, after the row took the blob's lock (see
 * {@link ImageRepository}); if the transaction then fails, a blob stored by it is removed again
 * unless another image refers to it.
 */
public final class UploadHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);
  private final Vertx vertx;
  private final Pool pool;
  private final ImageRepository repo;
  private final ContentStore store;
  private final UploadLimits limits;
  private final UploadReceiver receiver;
  private final UploadStripper stripper;

  public UploadHandler(Vertx vertx, Pool pool, ImageRepository repo, ContentStore store, UploadLimits limits) {
    this.vertx = vertx;
    this.pool = pool;
    this.repo = repo;
    this.store = store;
    this.limits = limits;
    this.receiver = new UploadReceiver(vertx, store, limits);
    this.stripper = new UploadStripper(store);
  }

  @Override
  public void handle(RoutingContext ctx) {
    UUID owner = Callers.owner(ctx);
    receiver.receive(ctx)
        .compose(this::strip)
        .compose(upload -> accept(owner, upload))
        .onSuccess(image -> ctx.response().setStatusCode(202)
            .putHeader("content-type", "application/json")
            .putHeader("location", "/api/images/" + image.id())
            .putHeader("cache-control", "no-store")
            .end(new JsonObject().put("id", image.id().toString()).put("status", image.status().id())
                .put("url", image.url()).encode()))
        .onFailure(err -> ctx.fail(err instanceof QuotaExceededException quota ? quota.toProblem() : err));
  }

  private Future<ReceivedUpload> strip(ReceivedUpload received) {
    return vertx.executeBlocking(() -> stripper.strip(received), false).recover(err -> {
      LOG.warn("could not strip the metadata of an upload: {}", err.toString());
      return vertx.executeBlocking(() -> Files.deleteIfExists(received.tempFile()), false)
          .transform(x -> Future.failedFuture(ProblemException.unavailable("image-store",
              "The image store is unavailable right now; try again in a moment.")));
    });
  }

  private Future<ImageRecord> accept(UUID owner, ReceivedUpload upload) {
    NewImage image = NewImage.from(upload, UUID.randomUUID(), owner, UUID.randomUUID());
    EventEnvelope uploaded = ImageEvents.uploaded(image, Instant.now());
    AtomicBoolean storedNow = new AtomicBoolean();
    return pool.withTransaction(tx -> repo.insertImage(tx, image, limits)
            .compose(row -> vertx.executeBlocking(() -> store.putOriginal(upload.tempFile(), upload.sha256(), upload.format()), false)
                .map(fresh -> {
                  storedNow.set(fresh);
                  return row;
                }))
            .compose(row -> Outbox.append(tx, ImageRepository.SCHEMA, uploaded).map(row)))
        .recover(err -> cleanUp(upload, storedNow.get()).transform(x -> Future.failedFuture(err)));
  }

  /** After a failed transaction: the temp file goes, and so does a blob it stored unless someone else's image uses it. */
  private Future<Void> cleanUp(ReceivedUpload upload, boolean storedNow) {
    Future<Void> temp = vertx.executeBlocking(() -> Files.deleteIfExists(upload.tempFile()), false).mapEmpty();
    if (!storedNow) {
      return temp;
    }
    return temp.compose(v -> pool.withTransaction(tx -> repo.isBlobReferenced(tx, upload.sha256())
            .compose(referenced -> referenced ? Future.succeededFuture()
                : vertx.executeBlocking(() -> store.delete(upload.sha256(), upload.format()), false))))
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("could not remove the unreferenced blob {} after a failed upload: {}", upload.sha256(), e.toString());
          return Future.succeededFuture();
        });
  }
}
