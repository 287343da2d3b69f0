package io.shutterbus.kit.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes RFC 9457 problem+json answers. Never includes a stack trace or an exception message it did not make. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://shutterbus.dev/problems/";

  private Problems() {
  }

  public static String type(String slug) {
    return TYPE_BASE + slug;
  }

  public static JsonObject body(ProblemException p, RoutingContext ctx) {
    JsonObject body = new JsonObject()
        .put("type", p.type())
        .put("title", p.title())
        .put("status", p.status())
        .put("detail", p.getMessage())
        .put("instance", ctx.request().path())
        .put("requestId", RequestIds.of(ctx));
    p.extensions().forEach(e -> body.put(e.getKey(), e.getValue()));
    return body;
  }

  public static Future<Void> send(RoutingContext ctx, ProblemException p) {
    HttpServerResponse res = ctx.response();
    if (res.headWritten()) {
      res.reset();  // too late for a problem body: cut the answer rather than send half of it
      return Future.succeededFuture();
    }
    res.setStatusCode(p.status()).putHeader("content-type", CONTENT_TYPE);
    return res.end(body(p, ctx).encode());
  }

  public static Future<Void> send(RoutingContext ctx, int status, String slug, String title, String detail) {
    return send(ctx, ProblemException.of(status, slug, title, detail));
  }
}
