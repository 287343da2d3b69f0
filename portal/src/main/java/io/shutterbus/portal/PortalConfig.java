package io.shutterbus.portal;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;

/** The portal's settings, read once at start. It has no dependencies: only its two ports. */
public record PortalConfig(HttpSettings http, int instances) {
  public static final int DEFAULT_PORT = 8083;
  public static final int DEFAULT_MANAGEMENT_PORT = 9083;

  public static PortalConfig fromEnv(Env env) {
    return new PortalConfig(
        HttpSettings.fromEnv(env, "PORTAL", DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT),
        env.integer("PORTAL_INSTANCES", 1, 1, 64));
  }
}
