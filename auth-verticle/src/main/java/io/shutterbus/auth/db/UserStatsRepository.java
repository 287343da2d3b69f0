package io.shutterbus.auth.db;

import io.shutterbus.events.ImageDeleted;
import io.shutterbus.events.ImageProcessed;
import io.shutterbus.events.ImagePurpose;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;

/**
 * The profile figures that image events feed: the avatar URL and the number of gallery images.
 * This is the side effect of the future {@code images.processed} consumer of the auth service;
 * the consumer itself is not wired yet (it comes with the image flow). Idempotent by natural keys:
 * an image counts once however often its event is delivered or the image reprocessed, and an older
 * avatar never replaces a newer one; an event for the current avatar's image always applies (its
 * files moved: the image service re-announces blobs it rewrote without metadata, dated when the
 * image was processed).
 */
public final class UserStatsRepository {
  private final Pool pool;

  public UserStatsRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> applyImageProcessed(ImageProcessed event) {
    if (event.purpose() == ImagePurpose.AVATAR) {
      return pool.preparedQuery("update auth.user_stats set avatar_url = $2, avatar_updated_at = $3, avatar_image_id = $4"
              + " where user_id = $1 and (avatar_updated_at is null or avatar_updated_at <= $3 or avatar_image_id = $4)"
              + " and not exists (select 1 from auth.user_images where image_id = $4 and deleted)")
          .execute(Tuple.of(event.ownerId(), avatarUrl(event), event.processedAt().atOffset(ZoneOffset.UTC),
              event.imageId()))
          .mapEmpty();
    }
    return pool.withTransaction(tx -> tx
        .preparedQuery("insert into auth.user_images (image_id, user_id) select $1, id from auth.users where id = $2"
            + " on conflict (image_id) do nothing")  // a tombstone of an already deleted image counts nothing
        .execute(Tuple.of(event.imageId(), event.ownerId()))
        .compose(inserted -> inserted.rowCount() == 0 ? Future.succeededFuture()
            : tx.preparedQuery("update auth.user_stats set image_count = image_count + 1 where user_id = $1")
                .execute(Tuple.of(event.ownerId())).mapEmpty()));
  }

  /**
   * The smallest rendered thumbnail: a JPEG the worker wrote, with no metadata and a size fit for
   * an avatar. The original only when an event carries no thumbnail at all.
   */
  static String avatarUrl(ImageProcessed event) {
    return event.thumbnails() == null || event.thumbnails().isEmpty() ? event.url()
        : event.thumbnails().entrySet().stream().min(java.util.Map.Entry.comparingByKey()).orElseThrow().getValue();
  }

  /**
   * An image was deleted: a counted gallery image is uncounted once (its row becomes a tombstone;
   * an unknown one gets a tombstone so a late processed event counts nothing), and the avatar is
   * cleared when it came from this image. By image id, not URL: the same file set as avatar twice
   * is two images with one URL, and deleting the older must keep the newer. Only avatars set
   * before the image id was recorded (schema version 4) still match by URL.
   */
  public Future<Void> applyImageDeleted(ImageDeleted event) {
    return pool.withTransaction(tx -> tx
        .preparedQuery("update auth.user_images set deleted = true where image_id = $1 and not deleted")
        .execute(Tuple.of(event.imageId()))
        .compose(updated -> updated.rowCount() == 1
            ? tx.preparedQuery("update auth.user_stats set image_count = image_count - 1"
                + " where user_id = $1 and image_count > 0").execute(Tuple.of(event.ownerId())).mapEmpty()
            : tx.preparedQuery("insert into auth.user_images (image_id, user_id, deleted)"
                + " select $1, id, true from auth.users where id = $2 on conflict (image_id) do nothing")
                .execute(Tuple.of(event.imageId(), event.ownerId())).mapEmpty())
        .compose(v -> event.purpose() != ImagePurpose.AVATAR ? Future.succeededFuture()
            : tx.preparedQuery("update auth.user_stats set avatar_url = null, avatar_image_id = null where user_id = $1"
                    + " and (avatar_image_id = $2 or (avatar_image_id is null and avatar_url = $3))")
                .execute(Tuple.of(event.ownerId(), event.imageId(), event.url())).mapEmpty()));
  }
}
