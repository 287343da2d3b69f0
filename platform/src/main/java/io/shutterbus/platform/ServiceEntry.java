package io.shutterbus.platform;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.Future;
import java.util.function.BiFunction;

/**
 * A service the platform runs: its env prefix and default ports (to check them first) and how to
 * deploy it. A service without a public port (the image worker) has {@link #NO_PUBLIC_PORT}: only
 * its management port is checked.
 */
record ServiceEntry(String name, String envPrefix, int defaultPort, int defaultManagementPort,
                    BiFunction<ServiceRuntime, Env, Future<?>> deploy) {
  static final int NO_PUBLIC_PORT = -1;

  HttpSettings http(Env env) {
    return HttpSettings.fromEnv(env, envPrefix, defaultPort, defaultManagementPort);
  }
}
