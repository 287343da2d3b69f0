package io.shutterbus.platform;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.run.ServiceRuntime;
import io.vertx.core.Future;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;

/**
 * A service the platform runs: its env prefix and default ports (to check them first) and how to
 * deploy it. A service without a public port (the image worker) has {@link #NO_PUBLIC_PORT}: only
 * its management port is checked.
 *
 * <p>Each service runs on a Vert.x of its own (a meter registry per service); {@code instances}
 * says how many event loops its work needs: that Vert.x gets that many ({@code <PREFIX>_EVENT_LOOPS}
 * overrides), instead of Vert.x's default of 2 x cores per instance of Vert.x.
 */
record ServiceEntry(String name, String envPrefix, int defaultPort, int defaultManagementPort,
                    BiFunction<ServiceRuntime, Env, Future<?>> deploy, ToIntFunction<Env> instances) {
  static final int NO_PUBLIC_PORT = -1;

  /** Event loops of this service's Vert.x: one per verticle instance, {@code <PREFIX>_EVENT_LOOPS} when set. */
  int eventLoops(Env env) {
    return env.integer(envPrefix + "_EVENT_LOOPS", instances.applyAsInt(env), 1, 128);
  }

  HttpSettings http(Env env) {
    return HttpSettings.fromEnv(env, envPrefix, defaultPort, defaultManagementPort);
  }
}
