package io.shutterbus.kit.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * A router with the house conventions: request ids, problem+json for every failure and for the
 * statuses the router raises itself (404, 405, 413...). Middleware is added path-less on purpose:
 * a {@code route("/*")} would put "/" into every metric's route label.
 */
public final class Routers {
  private static final int[] ROUTER_STATUSES = {400, 401, 403, 404, 405, 406, 413, 415, 500, 503};

  private Routers() {
  }

  public static Router create(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
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
