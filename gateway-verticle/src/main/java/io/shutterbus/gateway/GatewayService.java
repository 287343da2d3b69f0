package io.shutterbus.gateway;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;

/** Deploys the gateway and its management server; {@link #main} runs it alone, as its container image does. */
public final class GatewayService {
  public static final String NAME = "gateway";

  private GatewayService() {
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    GatewayConfig config = GatewayConfig.fromEnv(env);
    return runtime.vertx().deployVerticle(() -> new GatewayVerticle(config),
            new DeploymentOptions().setInstances(config.instances()))
        .compose(id -> runtime.vertx().deployVerticle(new ManagementVerticle(NAME, config.http().host(),
            config.http().managementPort(), config.http().managementPortVariable(), null, config.kafka(),
            runtime.registry())));
  }

  public static void main(String[] args) {
    ServiceRunner.run(NAME, GatewayService::deploy);
  }
}
