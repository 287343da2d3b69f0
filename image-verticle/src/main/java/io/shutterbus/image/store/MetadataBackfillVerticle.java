package io.shutterbus.image.store;

import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link MetadataBackfill} once per image service process: soon after start, batch after batch
 * while legacy blobs remain, then every {@value #IDLE_MINUTES} minutes (images that were processing
 * are picked up then). One instance; replicas of the service share the work through the blob locks.
 */
public final class MetadataBackfillVerticle extends VerticleBase {
  static final int BATCH = 100;
  static final long IDLE_MINUTES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(MetadataBackfillVerticle.class);
  private final PgSettings pg;
  private final String poolName;
  private final ContentStore store;
  private final List<Integer> thumbnailSizes;
  private final long firstDelayMs;
  private Pool pool;
  private MetadataBackfill backfill;
  private long timer = -1;
  private boolean stopped;

  public MetadataBackfillVerticle(PgSettings pg, String poolName, ContentStore store, List<Integer> thumbnailSizes,
                                  long firstDelayMs) {
    this.pg = pg;
    this.poolName = poolName;
    this.store = store;
    this.thumbnailSizes = thumbnailSizes;
    this.firstDelayMs = firstDelayMs;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, pg, poolName);
    backfill = new MetadataBackfill(vertx, pool, new ImageRepository(), store, thumbnailSizes);
    schedule(firstDelayMs);
    return Future.succeededFuture();
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> backfill.run(BATCH)
          .onSuccess(n -> schedule(n == BATCH ? 1 : IDLE_MINUTES * 60_000))
          .onFailure(e -> {
            LOG.warn("could not look for blobs stored with their metadata: {}", e.toString());
            schedule(IDLE_MINUTES * 60_000);
          }));
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
