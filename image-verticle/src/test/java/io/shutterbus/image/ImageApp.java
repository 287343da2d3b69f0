package io.shutterbus.image;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.image.worker.RenderHook;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.run.ServiceRuntime;
import io.shutterbus.testkit.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The image service or the worker running in a test, each in a Vert.x of its own (as in separate
 * processes), on free ports. Closing one is stopping that process.
 */
final class ImageApp implements AutoCloseable {
  final Vertx vertx;
  final int port;
  final int managementPort;

  private ImageApp(Vertx vertx, int port, int managementPort) {
    this.vertx = vertx;
    this.port = port;
    this.managementPort = managementPort;
  }

  static ImageApp service(Map<String, String> env) throws Exception {
    return start(env, ImageService::deploy, "IMAGE_MANAGEMENT_PORT");
  }

  static ImageApp worker(Map<String, String> env) throws Exception {
    return worker(env, RenderHook.NONE);
  }

  static ImageApp worker(Map<String, String> env, RenderHook hook) throws Exception {
    return start(env, (runtime, e) -> ImageWorkerService.deploy(runtime, e, hook), "IMAGE_WORKER_MANAGEMENT_PORT");
  }

  private static ImageApp start(Map<String, String> env, BiFunction<ServiceRuntime, Env, Future<String>> deploy,
                                String managementVariable) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of(
        "IMAGE_PORT", Integer.toString(FreePorts.next()),
        "IMAGE_MANAGEMENT_PORT", Integer.toString(FreePorts.next()),
        "IMAGE_WORKER_MANAGEMENT_PORT", Integer.toString(FreePorts.next()),
        "SHUTTERBUS_BIND_HOST", "127.0.0.1"));
    all.putAll(env);
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(registry);
    try {
      deploy.apply(new ServiceRuntime(vertx, registry), Env.of(all)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
    return new ImageApp(vertx, Integer.parseInt(all.get("IMAGE_PORT")), Integer.parseInt(all.get(managementVariable)));
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
