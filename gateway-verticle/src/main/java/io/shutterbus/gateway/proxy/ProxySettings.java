package io.shutterbus.gateway.proxy;

import io.shutterbus.kit.config.Env;
import java.time.Duration;

/**
 * How the gateway talks to its upstreams.
 *
 * <ul>
 *   <li>{@code GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS} (default 1000): TCP connect and pool wait; past it, 503</li>
 *   <li>{@code GATEWAY_UPSTREAM_TIMEOUT_MS} (default 15000): once the request body is sent, the longest wait
 *       for the answer to start, and the longest pause inside it; past it, 504. It starts only after the
 *       body is sent, so a slow upload is not cut.</li>
 *   <li>{@code GATEWAY_UPSTREAM_POOL_SIZE} (default 64) connections per upstream and event loop,
 *       {@code GATEWAY_UPSTREAM_QUEUE_SIZE} (default 256) requests waiting for one; beyond, 503 at once</li>
 *   <li>{@code GATEWAY_BREAKER_MAX_FAILURES} (default 5) transport failures within
 *       {@code GATEWAY_BREAKER_WINDOW_MS} (default 10000) open an upstream's circuit; it is tried again
 *       after {@code GATEWAY_BREAKER_RESET_MS} (default 5000). While open, calls answer 503 at once.</li>
 * </ul>
 */
public record ProxySettings(Duration connectTimeout, Duration responseTimeout, int poolSize, int queueSize,
                            int breakerMaxFailures, Duration breakerWindow, Duration breakerReset) {

  public static ProxySettings fromEnv(Env env) {
    return new ProxySettings(
        env.millis("GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS", 1000, 50, 30_000),
        env.millis("GATEWAY_UPSTREAM_TIMEOUT_MS", 15_000, 50, 600_000),
        env.integer("GATEWAY_UPSTREAM_POOL_SIZE", 64, 1, 4096),
        env.integer("GATEWAY_UPSTREAM_QUEUE_SIZE", 256, 0, 65_536),
        env.integer("GATEWAY_BREAKER_MAX_FAILURES", 5, 1, 1000),
        env.millis("GATEWAY_BREAKER_WINDOW_MS", 10_000, 1000, 600_000),
        env.millis("GATEWAY_BREAKER_RESET_MS", 5000, 100, 600_000));
  }
}
