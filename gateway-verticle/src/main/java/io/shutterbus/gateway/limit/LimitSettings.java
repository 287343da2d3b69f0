package io.shutterbus.gateway.limit;

import io.shutterbus.kit.config.Env;
import java.time.Duration;

/**
 * Rate limits and login back-off, in memory per gateway process.
 *
 * <ul>
 *   <li>{@code GATEWAY_LOGIN_RATE_PER_MINUTE} (default 10) and {@code GATEWAY_LOGIN_BURST} (default 10):
 *       POST /api/auth/login per client IP (IPv6 per /64); 0 per minute turns the limit off</li>
 *   <li>{@code GATEWAY_REGISTER_RATE_PER_MINUTE} (default 5), {@code GATEWAY_REGISTER_BURST} (default 5):
 *       POST /api/auth/register per client IP</li>
 *   <li>{@code GATEWAY_RATE_LIMIT_MAX_CLIENTS} (default 100000): tracked IPs (and e-mails) per limit; when
 *       full, new ones share one bucket rather than grow memory</li>
 *   <li>{@code GATEWAY_LOGIN_LOCK_AFTER} (default 5) failed logins for one e-mail lock it for
 *       {@code GATEWAY_LOGIN_LOCK_BASE_MS} (default 1000), doubling with each further failure up to
 *       {@code GATEWAY_LOGIN_LOCK_MAX_MS} (default 900000); failures older than
 *       {@code GATEWAY_LOGIN_FAILURE_MEMORY_MS} (default 900000) are forgotten, a success resets them</li>
 *   <li>{@code GATEWAY_SSE_MAX_TOTAL} (default 10000): live streams open at once in this gateway process,
 *       all users together (503 past it); the per-user cap is {@code GATEWAY_SSE_MAX_PER_USER}</li>
 * </ul>
 */
public record LimitSettings(double loginPerMinute, int loginBurst, double registerPerMinute, int registerBurst,
                            int maxClients, int lockAfter, Duration lockBase, Duration lockMax,
                            Duration failureMemory, int sseMaxTotal) {

  public static LimitSettings fromEnv(Env env) {
    return new LimitSettings(
        env.integer("GATEWAY_LOGIN_RATE_PER_MINUTE", 10, 0, 1_000_000),
        env.integer("GATEWAY_LOGIN_BURST", 10, 1, 1_000_000),
        env.integer("GATEWAY_REGISTER_RATE_PER_MINUTE", 5, 0, 1_000_000),
        env.integer("GATEWAY_REGISTER_BURST", 5, 1, 1_000_000),
        env.integer("GATEWAY_RATE_LIMIT_MAX_CLIENTS", 100_000, 10, 10_000_000),
        env.integer("GATEWAY_LOGIN_LOCK_AFTER", 5, 1, 1000),
        env.millis("GATEWAY_LOGIN_LOCK_BASE_MS", 1000, 1, 3_600_000),
        env.millis("GATEWAY_LOGIN_LOCK_MAX_MS", 900_000, 1, 86_400_000),
        env.millis("GATEWAY_LOGIN_FAILURE_MEMORY_MS", 900_000, 1000, 86_400_000),
        env.integer("GATEWAY_SSE_MAX_TOTAL", 10_000, 1, 1_000_000));
  }
}
