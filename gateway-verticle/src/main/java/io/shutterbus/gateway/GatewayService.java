package io.shutterbus.gateway;

import io.shutterbus.gateway.limit.Limits;
import io.shutterbus.gateway.live.LiveEvents;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;

/**
 * Deploys the gateway and its management server; {@link #main} runs it alone, as its container
 * image does. Readiness checks Kafka only (the gateway consumes it for live updates): the gateway
 * never touches PostgreSQL, and a down upstream is answered per request (503), not by readiness.
 */
public final class GatewayService {
  public static final String NAME = "gateway";

  private GatewayService() {
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    GatewayConfig config = GatewayConfig.fromEnv(env);
    Limits limits = Limits.create(config.limits());
    return runtime.vertx().deployVerticle(() -> new GatewayVerticle(config, limits, runtime.registry()),
            new DeploymentOptions().setInstances(config.instances()))
        .compose(id -> runtime.vertx().deployVerticle(new LiveEvents(config.kafka(), runtime.registry())))
        .compose(id -> runtime.vertx().deployVerticle(new ManagementVerticle(NAME, config.http().host(),
            config.http().managementPort(), config.http().managementPortVariable(), null, config.kafka(),
            runtime.registry())));
  }

  public static void main(String[] args) {
    ServiceRunner.run(NAME, GatewayService::deploy);
  }
}
