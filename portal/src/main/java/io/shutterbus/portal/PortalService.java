package io.shutterbus.portal;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.kit.run.ServiceRunner;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;

/** Deploys the portal and its management server; {@link #main} runs it alone, as its container image does. */
public final class PortalService {
  public static final String NAME = "portal";

  private PortalService() {
  }

  public static Future<String> deploy(ServiceRuntime runtime, Env env) {
    PortalConfig config = PortalConfig.fromEnv(env);
    return runtime.vertx().deployVerticle(() -> new PortalVerticle(config),
            new DeploymentOptions().setInstances(config.instances()))
        // Static files only: readiness has no dependency to check.
        .compose(id -> runtime.vertx().deployVerticle(new ManagementVerticle(NAME, config.http().host(),
            config.http().managementPort(), config.http().managementPortVariable(), null, null,
            runtime.registry())));
  }

  public static void main(String[] args) {
    ServiceRunner.run(NAME, PortalService::deploy);
  }
}
