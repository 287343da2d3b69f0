package io.shutterbus.kit.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Refuses a body that is not declared as JSON with 415. An HTML form can POST across sites without
 * a preflight only as {@code application/x-www-form-urlencoded}, {@code multipart/form-data} or
 * {@code text/plain}, so insisting on {@code application/json} takes login CSRF
 * ({@code <form enctype="text/plain">} posting a JSON-looking body) off the table.
 */
public final class JsonContentType implements Handler<RoutingContext> {
  private final boolean bodyRequired;

  private JsonContentType(boolean bodyRequired) {
    this.bodyRequired = bodyRequired;
  }

  /** For endpoints that read a JSON body: the Content-Type must be {@code application/json}. */
  public static JsonContentType required() {
    return new JsonContentType(true);
  }

  /**
   * For endpoints without a body (refresh, logout, reprocess): no Content-Type at all, or JSON. A
   * form always sends one of its own types, even when empty, so it is refused.
   */
  public static JsonContentType ifPresent() {
    return new JsonContentType(false);
  }

  /** True for {@code application/json}, with or without parameters such as charset. */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json");
  }

  @Override
  public void handle(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    boolean acceptable = contentType == null ? !bodyRequired : isJson(contentType);
    if (!acceptable) {
      ctx.fail(ProblemException.of(415, "unsupported-media-type", "Unsupported Media Type",
          "Send the request with Content-Type: application/json" + (bodyRequired ? " and a JSON body." : " or no body.")));
      return;
    }
    ctx.next();
  }
}
