package io.shutterbus.gateway.limit;

import io.shutterbus.gateway.GatewayMetrics;
import io.shutterbus.gateway.proxy.ClientAddress;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Lets a request through when its client IP has a token left in {@code buckets}, else 429. */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private final TokenBuckets buckets;
  private final String limit;
  private final ClientAddress clients;
  private final GatewayMetrics metrics;

  /** @param limit the metric label, one of {@link GatewayMetrics#LIMITS} */
  public RateLimitHandler(TokenBuckets buckets, String limit, ClientAddress clients, GatewayMetrics metrics) {
    this.buckets = buckets;
    this.limit = limit;
    this.clients = clients;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long wait = buckets.tryAcquire(clients.of(ctx).limitKey());
    if (wait == 0) {
      ctx.next();
      return;
    }
    metrics.rateLimit(limit);
    TooManyRequests.send(ctx, wait, "Too many attempts from your address.");
  }
}
