package io.shutterbus.image;

import io.shutterbus.events.OutboxRelay;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.image.worker.ImageWorkerVerticle;
import io.shutterbus.image.worker.RenderHook;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Deploys the {@code image-worker}: content store opened, schema {@code images} migrated (the
 * worker may start first), {@code IMAGE_WORKER_PARALLELISM} {@link ImageWorkerVerticle}s, an
 * outbox relay of its own for the {@code images} outbox (so its results are published even while
 * the image service is down; relays on one outbox never send a row twice), and the management
 * server on {@code IMAGE_WORKER_MANAGEMENT_PORT} (it has no public port). {@link #main} runs it
 * alone, as its container image does.
 */
public final class ImageWorkerService {
  public static final String NAME = "image-worker";

  private ImageWorkerService() {
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    return deploy(runtime, env, RenderHook.NONE);
  }

  /** With a hook on the render path: tests use it to stop the worker in the middle of a job. */
  static Future<String> deploy(ServiceRuntime runtime, Env env, RenderHook hook) {
    ImageConfig config = ImageConfig.fromEnv(env);
    Vertx vertx = runtime.vertx();
    return ImageService.openStore(vertx, config.storageDir())
        .compose(store -> ImageService.migrate(vertx, config.pg(), NAME).map(store))
        .compose(store -> vertx.deployVerticle(() -> new ImageWorkerVerticle(config, store, runtime.registry(), hook),
            new DeploymentOptions().setInstances(config.workerParallelism())))
        .compose(id -> vertx.deployVerticle(new OutboxRelay(config.pg(), config.kafka(),
            OutboxRelay.Settings.defaults(ImageRepository.SCHEMA).withSharedPool(NAME), runtime.registry())))
        .compose(id -> vertx.deployVerticle(new ManagementVerticle(NAME, config.worker().host(),
            config.worker().managementPort(), config.worker().managementPortVariable(), config.pg(), config.kafka(),
            runtime.registry())));
  }

  public static void main(String[] args) {
    ServiceRunner.run(NAME, ImageWorkerService::deploy);
  }
}
