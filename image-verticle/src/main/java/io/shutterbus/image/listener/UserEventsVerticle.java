package io.shutterbus.image.listener;

import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.events.DomainEvent;
import io.shutterbus.events.EventConsumer;
import io.shutterbus.events.Topics;
import io.shutterbus.events.UserRegistered;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Consumes {@code users.registered} (group {@code image}) to provision the new user's gallery and
 * quota row. An idempotent upsert: a redelivery changes nothing, and an upload that came first
 * (which made the row itself) is simply completed with the registration time. An event it cannot
 * apply (unreadable, or still failing after bounded retries) goes to {@code image.dlq}.
 */
public final class UserEventsVerticle extends VerticleBase {
  public static final String GROUP = "image";
  private final PgSettings pg;
  private final KafkaSettings kafka;
  private final MeterRegistry registry;
  private Pool pool;

  public UserEventsVerticle(PgSettings pg, KafkaSettings kafka, MeterRegistry registry) {
    this.pg = pg;
    this.kafka = kafka;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, pg, io.shutterbus.image.ImageService.NAME);
    ImageRepository repo = new ImageRepository();
    return vertx.deployVerticle(new EventConsumer(kafka, GROUP, Set.of(Topics.USERS_REGISTERED),
        (event, record) -> DomainEvent.decode(event) instanceof UserRegistered user
            ? repo.provisionUser(pool, user.userId(), user.createdAt().atOffset(ZoneOffset.UTC)).mapEmpty()
            : Future.succeededFuture(),
        Topics.IMAGE_DLQ, EventConsumer.Retry.upTo(Duration.ofSeconds(10)), registry));
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
