package io.shutterbus.image;

import io.shutterbus.events.Outbox;
import io.shutterbus.events.OutboxRelay;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.listener.UserEventsVerticle;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.image.store.MetadataBackfillVerticle;
import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Deploys the {@code image} service: content store opened, schema {@code images} migrated, the
 * API and file serving ({@link ImageVerticle}), the outbox relay that publishes
 * {@code images.uploaded} (and the worker's {@code images.processed}/{@code images.failed}, which
 * share the schema's outbox), the {@code users.registered} consumer, the backfill that rewrites
 * blobs earlier versions stored with their metadata, and the management server.
 * {@link #main} runs it alone, as its container image does.
 */
public final class ImageService {
  public static final String NAME = "image";
  /** Blobs stored with their metadata by earlier versions are rewritten from this long after start. */
  static final long BACKFILL_FIRST_DELAY_MS = 5_000;

  private ImageService() {
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    ImageConfig config = ImageConfig.fromEnv(env);
    Vertx vertx = runtime.vertx();
    return openStore(vertx, config.storageDir())
        .compose(store -> migrate(vertx, config.pg(), NAME).map(store))
        .compose(store -> vertx.deployVerticle(() -> new ImageVerticle(config, store),
            new DeploymentOptions().setInstances(config.instances()))
            .compose(id -> vertx.deployVerticle(new MetadataBackfillVerticle(config.pg(), NAME, store,
                config.thumbnailSizes(), BACKFILL_FIRST_DELAY_MS))))
        .compose(id -> vertx.deployVerticle(new OutboxRelay(config.pg(), config.kafka(),
            OutboxRelay.Settings.defaults(ImageRepository.SCHEMA).withSharedPool(NAME), runtime.registry())))
        .compose(id -> vertx.deployVerticle(new UserEventsVerticle(config.pg(), config.kafka(), runtime.registry())))
        .compose(id -> vertx.deployVerticle(new ManagementVerticle(NAME, config.http().host(),
            config.http().managementPort(), config.http().managementPortVariable(), config.pg(), config.kafka(),
            runtime.registry())));
  }

  /** Opens (creating) the store; a directory that cannot be used stops the service naming the variable. */
  static Future<ContentStore> openStore(Vertx vertx, Path dir) {
    return vertx.executeBlocking(() -> {
      try {
        return ContentStore.open(dir);
      } catch (IOException e) {
        throw new ConfigException("IMAGE_STORAGE_DIR " + dir + " cannot be used: " + e);
      }
    });
  }

  /** The images schema and its outbox; both the service and the worker run it (locked, idempotent). */
  static Future<Void> migrate(Vertx vertx, PgSettings pg, String service) {
    Pool pool = PgPools.forStartup(vertx, pg, service + "-migrations");
    return vertx.executeBlocking(ImageRepository::migrations)
        .compose(migrations -> new ImageRepository().migrate(pool, migrations))
        .compose(v -> Outbox.migrate(pool, ImageRepository.SCHEMA))
        .eventually(() -> PgPools.closeBounded(pool));
  }

  public static void main(String[] args) {
    ServiceRunner.run(NAME, ImageService::deploy);
  }
}
