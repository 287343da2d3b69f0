package io.shutterbus.kit.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * A router with the house conventions: request ids, problem+json for every failure and for the
 * statuses the router raises itself (404, 405, 413...). Middleware is added path-less on purpose:
 * a {@code route("/*")} would put "/" into every metric's route label.
 */
public final class Routers {
  private static final int[] ROUTER_STATUSES = {400, 401, 403, 404, 405, 406, 413, 415, 500, 503};

  private Routers() {
  }

  /** A query string that is not valid URL encoding is the client's mistake: 400 here, not a 500 later. */
  private static void rejectBadQueryEncoding(RoutingContext ctx) {
    try {
      ctx.queryParams();
    } catch (IllegalArgumentException | HttpException e) {  // vertx-web wraps the decoder's error in a 400
      ctx.fail(ProblemException.badRequest(
          "The query string is not valid URL encoding: a % must be followed by two hexadecimal digits."));
      return;
    }
    ctx.next();
  }

  public static Router create(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(Routers::rejectBadQueryEncoding);
    router.route().failureHandler(new FailureHandler());
    for (int status : ROUTER_STATUSES) {
      router.errorHandler(status, ctx -> {
        if (ctx.failure() != null) {
          Problems.send(ctx, FailureHandler.toProblem(ctx));
        } else {
          Problems.send(ctx, FailureHandler.forStatus(status, ctx));
        }
      });
    }
    return router;
  }
}
