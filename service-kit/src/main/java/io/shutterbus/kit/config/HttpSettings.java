package io.shutterbus.kit.config;

/**
 * The two ports of a service: the public one (0 when the service has none) and the management one
 * (health and metrics, never routed publicly). Each names its variable so a bind failure can too.
 */
public record HttpSettings(String host, int port, String portVariable, int managementPort,
                           String managementPortVariable) {

  /** Reads {@code <PREFIX>_PORT} and {@code <PREFIX>_MANAGEMENT_PORT}, plus {@code SHUTTERBUS_BIND_HOST}. */
  public static HttpSettings fromEnv(Env env, String prefix, int defaultPort, int defaultManagementPort) {
    String portVar = prefix + "_PORT";
    String mgmtVar = prefix + "_MANAGEMENT_PORT";
    return new HttpSettings(
        env.string("SHUTTERBUS_BIND_HOST", "0.0.0.0"),
        defaultPort < 0 ? -1 : env.port(portVar, defaultPort), portVar,
        env.port(mgmtVar, defaultManagementPort), mgmtVar);
  }
}
