package io.shutterbus.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/**
 * Security headers on every answer of the gateway, its own and proxied ones. The CSP allows only
 * same-origin scripts and styles (no inline code) and forbids framing; HSTS is sent only when TLS is
 * on ({@code GATEWAY_TLS=true}). An upstream may bring a stricter CSP of its own (served images use
 * {@code default-src 'none'}): it replaces the gateway's, with {@code frame-ancestors 'none'} added
 * if it lacks one. For the other headers here the gateway's value wins over an upstream's.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String HSTS = "max-age=31536000; includeSubDomains";
  private static final String CSP_HEADER = "Content-Security-Policy";
  private static final Set<String> GATEWAY_OWNED = Set.of("x-content-type-options", "referrer-policy",
      "x-frame-options", "cross-origin-opener-policy", "strict-transport-security", "permissions-policy");
  private final boolean tls;

  public SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    res.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        .putHeader(CSP_HEADER, CSP);
    if (tls) {
      res.putHeader("Strict-Transport-Security", HSTS);
    }
    ctx.next();
  }

  /**
   * Reconciles an upstream's headers (about to be copied onto {@code res}) with the gateway's, so no
   * header is sent twice: gateway-owned ones are dropped from the upstream's, for any other header
   * sent by both the upstream's value is kept.
   */
  public static void merge(MultiMap upstream, HttpServerResponse res) {
    for (String name : Set.copyOf(upstream.names())) {
      if (GATEWAY_OWNED.contains(name.toLowerCase(Locale.ROOT))) {
        upstream.remove(name);
      } else {
        res.headers().remove(name);
      }
    }
    String csp = upstream.get(CSP_HEADER);
    if (csp != null) {
      upstream.set(CSP_HEADER, forbiddingFraming(csp));
    }
  }

  /** An upstream's (stricter) CSP as the gateway sends it: with {@code frame-ancestors 'none'} if it lacks one. */
  public static String forbiddingFraming(String csp) {
    return csp.toLowerCase(Locale.ROOT).contains("frame-ancestors") ? csp
        : csp.strip().replaceAll(";\\s*$", "") + "; frame-ancestors 'none'";
  }
}
