package io.shutterbus.auth.endpoint;

import io.shutterbus.auth.db.UserRepository;
import io.shutterbus.auth.token.AccessTokens;
import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /api/me. The service checks the Bearer token itself (signature with its own public key, iss,
 * aud, exp), so it never trusts a header the gateway might have forgotten to strip. {@code roles}
 * are the token's own: what every service will grant for this very token (a change of
 * SHUTTERBUS_ADMIN_EMAILS shows at the next login or refresh, as it does for the checks).
 */
public final class MeHandler implements Handler<RoutingContext> {
  private final AccessTokens tokens;
  private final UserRepository users;

  public MeHandler(AccessTokens tokens, UserRepository users) {
    this.tokens = tokens;
    this.users = users;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      unauthorized(ctx, ProblemException.unauthorized("A valid Bearer token is required."));
      return;
    }
    tokens.verify(header.substring(7).trim())
        .compose(caller -> users.profile(caller.userId())
            .compose(p -> p.isPresent() ? Future.succeededFuture(p.get().toJson(caller.roles()))
                : Future.failedFuture(ProblemException.notFound("This account no longer exists."))))
        .onSuccess(body -> ctx.response().putHeader("content-type", "application/json")
            .putHeader("cache-control", "no-store").end(body.encode()))
        .onFailure(err -> {
          if (err instanceof ProblemException p && p.status() == 401) {
            unauthorized(ctx, p);
          } else {
            ctx.fail(err);
          }
        });
  }

  private static void unauthorized(RoutingContext ctx, ProblemException p) {
    ctx.response().putHeader("www-authenticate", "Bearer realm=\"shutterbus\"");
    ctx.fail(p);
  }
}
