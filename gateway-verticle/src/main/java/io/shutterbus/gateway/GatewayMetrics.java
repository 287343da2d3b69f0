package io.shutterbus.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The gateway's own counters, next to the HTTP metrics Vert.x records per route template.
 * Every label value is from a fixed set, and every series exists from start (at 0) so alerts on
 * them can fire: {@code shutterbus_gateway_upstream_errors_total{upstream,reason}} and
 * {@code shutterbus_gateway_rate_limited_total{limit}}.
 */
public final class GatewayMetrics {
  public static final List<String> UPSTREAMS = List.of("auth", "image", "portal");
  /** Why a call to an upstream failed: refused/no connection, no answer in time, a broken answer, circuit open. */
  public static final List<String> ERROR_REASONS = List.of("unavailable", "timeout", "bad_gateway", "circuit_open");
  public static final List<String> LIMITS = List.of("login_ip", "register_ip", "login_account");

  private final MeterRegistry registry;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    UPSTREAMS.forEach(u -> ERROR_REASONS.forEach(r -> upstreamErrors(u, r)));
    LIMITS.forEach(this::rateLimited);
  }

  public void upstreamError(String upstream, String reason) {
    upstreamErrors(upstream, reason).increment();
  }

  public void rateLimit(String limit) {
    rateLimited(limit).increment();
  }

  private Counter upstreamErrors(String upstream, String reason) {
    return Counter.builder("shutterbus.gateway.upstream.errors")
        .description("Calls to an upstream that failed, by reason")
        .tag("upstream", upstream).tag("reason", reason)
        .register(registry);
  }

  private Counter rateLimited(String limit) {
    return Counter.builder("shutterbus.gateway.rate.limited")
        .description("Requests refused with 429 by a rate limit or login back-off")
        .tag("limit", limit)
        .register(registry);
  }
}
