package io.shutterbus.image.db;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.render.RenderResult;
import io.shutterbus.image.upload.UploadLimits;
import io.shutterbus.image.upload.UploadPurpose;
import io.shutterbus.kit.db.SchemaMigrations;
import io.shutterbus.kit.db.SchemaMigrations.Migration;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code images} schema: image rows and the per-user quota rows. All SQL of the image service
 * lives here. Methods that must share a transaction with an outbox row take a {@link SqlConnection}
 * (inside {@code pool.withTransaction}); reads take any {@link SqlClient}.
 *
 * <p>Blob lifetime: a blob is removed when no row refers to it. {@link #insertImage},
 * {@link #deleteImage} and {@link #isBlobReferenced} take the same advisory lock on the blob's
 * hash: upload: {@code insertImage}, then {@code ContentStore.putOriginal}, then the outbox row,
 * commit; delete: {@code deleteImage} and the outbox row, commit, then in a new transaction
 * {@code isBlobReferenced} and, if false, the files removed before that commits
 * ({@code BlobCollector}). A failed delete transaction thus never loses files, and a racing
 * upload of the same bytes either sees the blob kept or puts it back itself.
 */
public final class ImageRepository {
  public static final String SCHEMA = "images";
  private static final int MAX_REASON = 500;
  private static final String COLUMNS = "id, owner_id, sha256, format, bytes, width, height, purpose, status, "
      + "failure_reason, metadata, created_at, updated_at";

  /**
   * The versioned SQL under {@code /db/images/}, applied by service-kit's {@link SchemaMigrations}
   * like every other schema. Reads the files: blocking, call it at start off the event loop.
   */
  public static List<Migration> migrations() {
    return List.of(
        SchemaMigrations.resource(ImageRepository.class, 1, "images", "/db/images/V1__images.sql"),
        SchemaMigrations.resource(ImageRepository.class, 2, "replay marker", "/db/images/V2__replay_marker.sql"),
        SchemaMigrations.resource(ImageRepository.class, 3, "exif facts", "/db/images/V3__exif_facts.sql"));
  }

  /** Creates or updates the schema; answers how many versions it applied. Safe from every replica at every start. */
  public Future<Integer> migrate(Pool pool, List<Migration> migrations) {
    return SchemaMigrations.run(pool, SCHEMA, migrations);
  }

  /**
   * Provisions the gallery and quota of a registered user (from {@code users.registered}).
   * Idempotent: returns true the first time a user's registration is recorded, false on a redelivery.
   */
  public Future<Boolean> provisionUser(SqlClient client, UUID userId, OffsetDateTime registeredAt) {
    return client.preparedQuery("""
            insert into images.users (user_id, registered_at) values ($1, $2)
            on conflict (user_id) do update set registered_at = excluded.registered_at, updated_at = now()
              where images.users.registered_at is null
            returning user_id""")
        .execute(Tuple.of(userId, registeredAt))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Inserts an image row (status processing) after checking the owner's quota, in the caller's
   * transaction so the outbox row can join it. Concurrent uploads of one owner are serialised on
   * the owner's row, so the quota holds under load. Fails with {@link QuotaExceededException}.
   */
  public Future<ImageRecord> insertImage(SqlConnection tx, NewImage image, UploadLimits limits) {
    return tx.preparedQuery("insert into images.users (user_id) values ($1) on conflict (user_id) do nothing")
        .execute(Tuple.of(image.ownerId()))
        .compose(v -> tx.preparedQuery("select quota_bytes, quota_count from images.users where user_id = $1 for update")
            .execute(Tuple.of(image.ownerId())))
        .compose(user -> lockBlob(tx, image.sha256()).compose(v -> usage(tx, image.ownerId(), user.iterator().next(), limits)))
        .compose(usage -> usage.allows(image.bytes())
            ? Future.succeededFuture()
            : Future.failedFuture(new QuotaExceededException(usage, image.bytes())))
        .compose(v -> tx.preparedQuery("insert into images.images (id, owner_id, sha256, format, bytes, width, height, "
                + "purpose, pending_event_id, exif_facts) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning " + COLUMNS)
            .execute(Tuple.from(Arrays.asList(image.id(), image.ownerId(), image.sha256(), image.format().id(),
                image.bytes(), image.width(), image.height(), image.purpose().id(), image.uploadEventId(),
                image.exifFacts() == null || image.exifFacts().isEmpty() ? null : image.exifFacts()))))
        .map(rows -> toRecord(rows.iterator().next()));
  }

  public Future<Optional<ImageRecord>> findById(SqlClient client, UUID id) {
    return client.preparedQuery("select " + COLUMNS + " from images.images where id = $1")
        .execute(Tuple.of(id)).map(ImageRepository::first);
  }

  /** The image if {@code ownerId} owns it; someone else's image is indistinguishable from none. */
  public Future<Optional<ImageRecord>> findByIdAndOwner(SqlClient client, UUID id, UUID ownerId) {
    return client.preparedQuery("select " + COLUMNS + " from images.images where id = $1 and owner_id = $2")
        .execute(Tuple.of(id, ownerId)).map(ImageRepository::first);
  }

  /** The owner's images, newest first, one page at a time. */
  public Future<ImagePage> pageByOwner(SqlClient client, UUID ownerId, PageRequest page) {
    int limit = Math.min(Math.max(page.limit(), 1), PageRequest.MAX_LIMIT);
    return client.preparedQuery("select " + COLUMNS + " from images.images where owner_id = $1"
            + " and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::uuid))"
            + " order by created_at desc, id desc limit $4")
        .execute(Tuple.of(ownerId, page.afterCreatedAt(), page.afterId(), limit + 1))
        .map(rows -> {
          List<ImageRecord> items = new ArrayList<>();
          rows.forEach(row -> items.add(toRecord(row)));
          if (items.size() <= limit) {
            return new ImagePage(items, null);
          }
          List<ImageRecord> shown = items.subList(0, limit);
          return new ImagePage(shown, PageRequest.cursorAfter(shown.get(limit - 1)));
        });
  }

  /**
   * Applies the worker's result for {@code eventId}: status ready, displayed size and metadata. The
   * camera and date read at upload ({@code exif_facts}) join the metadata: the stored file no longer
   * has them.
   */
  public Future<MarkResult> markReady(SqlClient client, UUID id, UUID eventId, RenderResult result) {
    return mark(client, id, eventId, """
            update images.images set status = 'ready', failure_reason = null,
              metadata = $3::jsonb || coalesce(exif_facts, '{}'::jsonb), width = $4, height = $5,
              processed_event_id = $2, updated_at = now()
            where id = $1 and pending_event_id = $2 and status = 'processing'
            returning""" + " " + COLUMNS,
        Tuple.of(id, eventId, result.toJson(), result.metadata().width(), result.metadata().height()));
  }

  /** Applies a permanent failure for {@code eventId}, with a reason the owner will read. */
  public Future<MarkResult> markFailed(SqlClient client, UUID id, UUID eventId, String reason) {
    String shown = reason == null || reason.isBlank() ? "The image could not be processed." : reason.strip();
    return mark(client, id, eventId, """
            update images.images set status = 'failed', failure_reason = $3, metadata = null,
              processed_event_id = $2, updated_at = now()
            where id = $1 and pending_event_id = $2 and status = 'processing'
            returning""" + " " + COLUMNS,
        Tuple.of(id, eventId, shown.length() > MAX_REASON ? shown.substring(0, MAX_REASON) : shown));
  }

  private Future<MarkResult> mark(SqlClient client, UUID id, UUID eventId, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).compose(rows -> {
      if (rows.rowCount() == 1) {
        return Future.succeededFuture(new MarkResult(MarkResult.Outcome.UPDATED, toRecord(rows.iterator().next())));
      }
      return client.preparedQuery("select " + COLUMNS + ", processed_event_id from images.images where id = $1")
          .execute(Tuple.of(id))
          .map(current -> {
            if (current.rowCount() == 0) {
              return new MarkResult(MarkResult.Outcome.NOT_FOUND, null);
            }
            Row row = current.iterator().next();
            return new MarkResult(eventId.equals(row.getUUID("processed_event_id"))
                ? MarkResult.Outcome.ALREADY_APPLIED : MarkResult.Outcome.SUPERSEDED, toRecord(row));
          });
    });
  }

  /**
   * Sends an owner's ready or failed image through the pipeline again: status processing, waiting
   * for {@code newEventId} (the new {@code images.uploaded} event in the same transaction). Empty
   * when the owner has no such image or it is still processing (tell them apart with
   * {@link #findByIdAndOwner}).
   */
  public Future<Optional<ImageRecord>> markReprocessing(SqlConnection tx, UUID id, UUID ownerId, UUID newEventId) {
    return tx.preparedQuery("update images.images set status = 'processing', failure_reason = null, pending_event_id = $3,"
            + " processed_event_id = null, replay_marker = null, updated_at = now()"
            + " where id = $1 and owner_id = $2 and status <> 'processing' returning " + COLUMNS)
        .execute(Tuple.of(id, ownerId, newEventId)).map(ImageRepository::first);
  }

  /** Where an image stands in the pipeline, for the worker to decide what an event still asks of it. */
  public Future<Optional<PipelineState>> findPipelineState(SqlClient client, UUID id) {
    return client.preparedQuery("select " + COLUMNS + ", pending_event_id, replay_marker from images.images where id = $1")
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new PipelineState(toRecord(row), row.getUUID("pending_event_id"), row.getString("replay_marker")));
        });
  }

  /**
   * Puts a finished image (ready or failed) back to processing for a replay of its own pending
   * event, so the replay is processed again instead of being taken for a redelivery. The
   * {@code replayMarker} names the replayed record: the same record delivered again re-arms
   * nothing. Returns whether the image was re-armed.
   */
  public Future<Boolean> rearmForReplay(SqlClient client, UUID id, UUID eventId, String replayMarker) {
    return client.preparedQuery("update images.images set status = 'processing', failure_reason = null,"
            + " processed_event_id = null, replay_marker = $3, updated_at = now()"
            + " where id = $1 and pending_event_id = $2 and status <> 'processing'"
            + " and replay_marker is distinct from $3")
        .execute(Tuple.of(id, eventId, replayMarker))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Whether any image still refers to the blob, under the blob's lock held until {@code tx} ends:
   * a blob stored for a transaction that then failed, or thumbnails written for an image deleted
   * meanwhile, may be removed from the store before commit when this says false.
   */
  public Future<Boolean> isBlobReferenced(SqlConnection tx, String sha256) {
    return lockBlob(tx, sha256)
        .compose(v -> tx.preparedQuery("select exists (select 1 from images.images where sha256 = $1) as referenced")
            .execute(Tuple.of(sha256)))
        .map(rows -> rows.iterator().next().getBoolean("referenced"));
  }

  /**
   * Deletes an owner's image and says whether another image still refers to its blob. The files
   * stay until the transaction committed; then {@code BlobCollector.removeIfUnused} removes them.
   */
  public Future<Optional<DeletedImage>> deleteImage(SqlConnection tx, UUID id, UUID ownerId) {
    return tx.preparedQuery("delete from images.images where id = $1 and owner_id = $2 returning sha256, format, purpose")
        .execute(Tuple.of(id, ownerId))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row row = rows.iterator().next();
          String sha = row.getString("sha256");
          ImageFormat format = ImageFormat.fromId(row.getString("format")).orElseThrow();
          UploadPurpose purpose = UploadPurpose.fromId(row.getString("purpose")).orElseThrow();
          return lockBlob(tx, sha)
              .compose(v -> tx.preparedQuery("select exists (select 1 from images.images where sha256 = $1) as referenced")
                  .execute(Tuple.of(sha)))
              .map(ref -> Optional.of(new DeletedImage(id, ownerId, sha, format, purpose,
                  ref.iterator().next().getBoolean("referenced"))));
        });
  }

  /** What the owner keeps stored and may keep (their own quota if set, else the defaults). */
  public Future<QuotaUsage> quotaUsage(SqlClient client, UUID ownerId, UploadLimits limits) {
    return client.preparedQuery("select quota_bytes, quota_count from images.users where user_id = $1")
        .execute(Tuple.of(ownerId))
        .compose(user -> usage(client, ownerId, user.rowCount() == 0 ? null : user.iterator().next(), limits));
  }

  private static Future<QuotaUsage> usage(SqlClient client, UUID ownerId, Row user, UploadLimits limits) {
    long limitBytes = user == null || user.getLong("quota_bytes") == null ? limits.quotaBytes() : user.getLong("quota_bytes");
    long limitCount = user == null || user.getInteger("quota_count") == null ? limits.quotaCount() : user.getInteger("quota_count");
    return client.preparedQuery("select coalesce(sum(bytes), 0)::bigint as used_bytes, count(*) as used_count"
            + " from images.images where owner_id = $1")
        .execute(Tuple.of(ownerId))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new QuotaUsage(r.getLong("used_bytes"), r.getLong("used_count"), limitBytes, limitCount);
        });
  }

  /** Blobs that rows of earlier versions name and that still hold their metadata; images being processed wait. */
  public Future<List<LegacyBlob>> unstrippedBlobs(SqlClient client, int limit) {
    return client.preparedQuery("select distinct sha256, format from images.images"
            + " where not stripped and status <> 'processing' limit $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<LegacyBlob> blobs = new ArrayList<>();
          rows.forEach(r -> blobs.add(new LegacyBlob(r.getString("sha256"),
              ImageFormat.fromId(r.getString("format")).orElseThrow())));
          return blobs;
        });
  }

  /** The blob of {@code sha256} had nothing to strip (or is gone): its rows are done. */
  public Future<Void> markStripped(SqlConnection tx, String sha256) {
    return lockBlob(tx, sha256)
        .compose(v -> tx.preparedQuery("update images.images set stripped = true"
            + " where sha256 = $1 and not stripped and status <> 'processing'").execute(Tuple.of(sha256)))
        .mapEmpty();
  }

  /** Takes the locks of two blobs, in hash order (two replicas never wait for each other in a circle). */
  public Future<Void> lockBlobs(SqlConnection tx, String a, String b) {
    String first = a.compareTo(b) < 0 ? a : b;
    return lockBlob(tx, first).compose(v -> lockBlob(tx, first.equals(a) ? b : a));
  }

  /**
   * Points the rows of the legacy blob {@code from} at its stripped copy {@code to} ({@code bytes}
   * long); call it holding both blobs' locks ({@link #lockBlobs}). The camera and date the rows
   * show stay, in {@code exif_facts}; {@code updated_at} stays the time the image was last
   * processed. Answers the rows moved (none when another replica was first).
   */
  public Future<List<ImageRecord>> moveToStripped(SqlConnection tx, String from, String to, long bytes) {
    return tx.preparedQuery("""
                update images.images set sha256 = $2, bytes = $3, stripped = true,
                  exif_facts = coalesce(exif_facts, nullif(jsonb_strip_nulls(jsonb_build_object(
                    'camera', metadata -> 'camera', 'takenAt', metadata -> 'takenAt')), '{}'::jsonb))
                where sha256 = $1 and not stripped and status <> 'processing'
                returning""" + " " + COLUMNS)
        .execute(Tuple.of(from, to, bytes))
        .map(rows -> {
          List<ImageRecord> moved = new ArrayList<>();
          rows.forEach(r -> moved.add(toRecord(r)));
          return moved;
        });
  }

  /** A blob named by rows not yet stripped. */
  public record LegacyBlob(String sha256, ImageFormat format) {
  }

  private static Future<Void> lockBlob(SqlClient tx, String sha256) {
    return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))")
        .execute(Tuple.of("images.blob." + sha256)).mapEmpty();
  }

  private static Optional<ImageRecord> first(RowSet<Row> rows) {
    return rows.rowCount() == 0 ? Optional.empty() : Optional.of(toRecord(rows.iterator().next()));
  }

  private static ImageRecord toRecord(Row row) {
    return new ImageRecord(row.getUUID("id"), row.getUUID("owner_id"), row.getString("sha256"),
        ImageFormat.fromId(row.getString("format")).orElseThrow(), row.getLong("bytes"), row.getInteger("width"),
        row.getInteger("height"), UploadPurpose.fromId(row.getString("purpose")).orElseThrow(),
        ImageStatus.fromId(row.getString("status")), row.getString("failure_reason"), row.getJsonObject("metadata"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }
}
