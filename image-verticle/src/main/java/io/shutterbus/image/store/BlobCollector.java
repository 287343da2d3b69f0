package io.shutterbus.image.store;

import io.shutterbus.image.db.ImageRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes blob files no image refers to any more, always AFTER the transaction that let go of
 * them committed: in a transaction of its own, under the blob's advisory lock (the one an upload of
 * the same bytes takes), it checks that no row refers to the hash and only then deletes the files.
 * A deletion whose transaction fails therefore never loses files; a crash between the commit and
 * the removal leaves files behind, which {@link #sweep} finds later.
 */
public final class BlobCollector {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);
  private static final int BATCH = 500;
  private final Vertx vertx;
  private final Pool pool;
  private final ImageRepository repo;
  private final ContentStore store;

  public BlobCollector(Vertx vertx, Pool pool, ImageRepository repo, ContentStore store) {
    this.vertx = vertx;
    this.pool = pool;
    this.repo = repo;
    this.store = store;
  }

  /** Deletes the blob's files when no image refers to it; answers whether it did. */
  public Future<Boolean> removeIfUnused(String sha256) {
    return pool.withTransaction(tx -> repo.isBlobReferenced(tx, sha256).compose(referenced -> referenced
        ? Future.succeededFuture(false)
        : vertx.executeBlocking(() -> {
          store.deleteAll(sha256);  // while the lock is held: no upload of these bytes can interleave
          return true;
        }, false)));
  }

  /**
   * Removes the files of every blob that no image refers to and that was last written more than
   * {@code minAge} ago; answers how many blobs it removed. Safe beside uploads and other sweeps.
   */
  public Future<Integer> sweep(Duration minAge) {
    return vertx.executeBlocking(() -> store.hashesOlderThan(minAge), false).compose(hashes -> {
      List<String> all = new ArrayList<>(hashes);
      Future<Integer> removed = Future.succeededFuture(0);
      for (int from = 0; from < all.size(); from += BATCH) {
        List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
        removed = removed.compose(sum -> unreferenced(batch).compose(this::removeEach).map(n -> sum + n));
      }
      return removed;
    }).onSuccess(n -> {
      if (n > 0) {
        LOG.info("removed the files of {} blobs no image refers to", n);
      }
    });
  }

  private Future<List<String>> unreferenced(List<String> hashes) {
    return pool.preparedQuery("select distinct sha256 from images.images where sha256 = any($1)")
        .execute(Tuple.of(hashes.toArray(String[]::new)))
        .map(rows -> {
          Set<String> used = new HashSet<>();
          for (Row r : rows) {
            used.add(r.getString(0));
          }
          return hashes.stream().filter(h -> !used.contains(h)).toList();
        });
  }

  private Future<Integer> removeEach(List<String> candidates) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String sha : candidates) {
      chain = chain.compose(n -> removeIfUnused(sha).map(done -> done ? n + 1 : n));
    }
    return chain;
  }
}
