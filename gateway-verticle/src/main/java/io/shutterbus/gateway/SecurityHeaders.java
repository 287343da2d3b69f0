package io.shutterbus.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every answer of the gateway. The CSP allows only same-origin scripts and
 * styles (no inline code) and forbids framing; HSTS is sent only when TLS is on.
 */
final class SecurityHeaders implements Handler<RoutingContext> {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private final boolean tls;

  SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    res.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (!res.headers().contains("Content-Security-Policy")) {
      res.putHeader("Content-Security-Policy", CSP);
    }
    if (tls) {
      res.putHeader(HttpHeaders.createOptimized("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
    }
    ctx.next();
  }
}
