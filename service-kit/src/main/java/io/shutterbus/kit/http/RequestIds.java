package io.shutterbus.kit.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes X-Request-Id from the caller when it is a plain token (so ids flow through the gateway to
 * the services), makes one otherwise, and sends it back on every answer.
 */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "shutterbus.requestId";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : assign(ctx);
  }

  private static String assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader(HEADER, id);
    }
    return id;
  }

  @Override
  public void handle(RoutingContext ctx) {
    assign(ctx);
    ctx.next();
  }
}
