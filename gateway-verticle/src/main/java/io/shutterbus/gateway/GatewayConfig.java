package io.shutterbus.gateway;

import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.config.KafkaSettings;

/** The gateway's settings, read once at start. */
public record GatewayConfig(HttpSettings http, KafkaSettings kafka, int instances) {
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MANAGEMENT_PORT = 9080;

  public static GatewayConfig fromEnv(Env env) {
    return new GatewayConfig(
        HttpSettings.fromEnv(env, "GATEWAY", DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT),
        KafkaSettings.fromEnv(env),
        env.integer("GATEWAY_INSTANCES", 1, 1, 64));
  }
}
