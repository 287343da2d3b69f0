package io.shutterbus.auth.listener;

import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.auth.AuthConfig;
import io.shutterbus.auth.AuthService;
import io.shutterbus.auth.db.UserStatsRepository;
import io.shutterbus.events.DomainEvent;
import io.shutterbus.events.EventConsumer;
import io.shutterbus.events.ImageDeleted;
import io.shutterbus.events.ImageProcessed;
import io.shutterbus.events.Topics;
import io.shutterbus.kit.db.PgPools;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Set;

/**
 * Consumes {@code images.processed} and {@code images.deleted} (group {@code auth}) into the
 * profile: the avatar URL for avatar uploads, the image count for gallery ones, both undone by a
 * deletion. Idempotent through the repository's natural keys, committed only after the row is written;
 * an event it cannot apply (unreadable, or still failing after bounded retries) goes to {@code auth.dlq}.
 */
public final class ImageEventsVerticle extends VerticleBase {
  static final String GROUP = "auth";
  private final AuthConfig config;
  private final MeterRegistry registry;
  private Pool pool;

  public ImageEventsVerticle(AuthConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, config.pg(), AuthService.NAME);
    UserStatsRepository stats = new UserStatsRepository(pool);
    return vertx.deployVerticle(new EventConsumer(config.kafka(), GROUP,
        Set.of(Topics.IMAGES_PROCESSED, Topics.IMAGES_DELETED),
        (event, record) -> {
          DomainEvent decoded = DomainEvent.decode(event);
          if (decoded instanceof ImageProcessed processed) {
            return stats.applyImageProcessed(processed);
          }
          return decoded instanceof ImageDeleted deleted ? stats.applyImageDeleted(deleted) : Future.succeededFuture();
        },
        Topics.AUTH_DLQ, EventConsumer.Retry.upTo(Duration.ofSeconds(10)), registry));
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
