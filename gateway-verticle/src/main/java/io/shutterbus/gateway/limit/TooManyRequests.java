package io.shutterbus.gateway.limit;

import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.ext.web.RoutingContext;

/** The 429 answer: problem+json and Retry-After in whole seconds (at least 1). */
final class TooManyRequests {
  private TooManyRequests() {
  }

  static void send(RoutingContext ctx, long waitMillis, String detail) {
    long seconds = Math.max(1, (waitMillis + 999) / 1000);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    Problems.send(ctx, ProblemException.of(429, "too-many-requests", "Too Many Requests",
        detail + " Try again in " + seconds + " s."));
  }
}
