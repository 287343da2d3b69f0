package io.shutterbus.auth.endpoint;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * The refresh token's cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site request
 * carries it), sent only to {@code /api/auth}, and Secure when the site runs on TLS.
 */
final class RefreshCookie {
  static final String NAME = "shutterbus_refresh";
  static final String PATH = "/api/auth";
  private final boolean secure;
  private final Duration ttl;

  RefreshCookie(boolean secure, Duration ttl) {
    this.secure = secure;
    this.ttl = ttl;
  }

  void set(RoutingContext ctx, String token) {
    ctx.response().addCookie(cookie(token).setMaxAge(ttl.toSeconds()));
  }

  void clear(RoutingContext ctx) {
    ctx.response().addCookie(cookie("").setMaxAge(0));
  }

  Optional<String> read(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(NAME);
    return c == null || c.getValue().isEmpty() ? Optional.empty() : Optional.of(c.getValue());
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(NAME, value).setPath(PATH).setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.STRICT);
  }
}
