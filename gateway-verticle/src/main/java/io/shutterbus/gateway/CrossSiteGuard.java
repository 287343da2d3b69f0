package io.shutterbus.gateway;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that a browser made on behalf
 * of another site, with a 403 problem: an {@code Origin} that is neither this site's own origin nor
 * one listed in {@code GATEWAY_ALLOWED_ORIGINS}, or, without an Origin, {@code Sec-Fetch-Site}
 * other than {@code same-origin} or {@code none}. Requests carrying neither header are not from a
 * browser's cross-site context (curl, services, tests) and pass. Together with auth's JSON-only
 * bodies this closes login CSRF; SameSite=Strict already keeps the refresh cookie off cross-site calls.
 */
public final class CrossSiteGuard implements Handler<RoutingContext> {
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private final String scheme;
  private final Set<String> allowedOrigins;

  public CrossSiteGuard(boolean tls, Set<String> allowedOrigins) {
    this.scheme = tls ? "https" : "http";
    this.allowedOrigins = Set.copyOf(allowedOrigins);
  }

  /** {@code GATEWAY_ALLOWED_ORIGINS}: comma list of {@code scheme://host[:port]} allowed besides this site. */
  public static CrossSiteGuard fromEnv(Env env, boolean tls) {
    String raw = env.string("GATEWAY_ALLOWED_ORIGINS", "");
    Set<String> origins = Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(CrossSiteGuard::origin).collect(Collectors.toUnmodifiableSet());
    return new CrossSiteGuard(tls, origins);
  }

  private static String origin(String entry) {
    try {
      URI uri = new URI(entry);
      boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null && bare && uri.getRawQuery() == null && uri.getRawFragment() == null
          && uri.getRawUserInfo() == null) {
        return entry.toLowerCase(Locale.ROOT);
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new ConfigException("GATEWAY_ALLOWED_ORIGINS: '" + entry
        + "' is not an origin; write scheme://host[:port] such as https://portal.example.com");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (SAFE.contains(ctx.request().method()) || fromThisSiteOrAllowed(ctx)) {
      ctx.next();
      return;
    }
    ctx.fail(ProblemException.of(403, "cross-site-request", "Forbidden",
        "This request was sent from another site, which may not change anything here. Use the portal itself,"
            + " or have the operator list your origin in GATEWAY_ALLOWED_ORIGINS."));
  }

  private boolean fromThisSiteOrAllowed(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null) {
      String o = origin.trim().toLowerCase(Locale.ROOT);
      String host = ctx.request().getHeader("Host");
      return allowedOrigins.contains(o) || (host != null && o.equals(scheme + "://" + host.trim().toLowerCase(Locale.ROOT)));
    }
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    return site == null || site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none");
  }
}
