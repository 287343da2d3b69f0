package io.shutterbus.gateway.proxy;

import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The answer to a body over its limit: 413 problem+json with {@code Connection: close}, then the
 * connection is closed so the client cannot keep a socket busy with bytes nobody reads. It first
 * reads and drops what is still in flight for a moment (a "lingering close"): closing on unread data
 * would make the kernel reset the connection and the client could lose the 413 itself.
 */
public final class OversizedBodies {
  static final long LINGER_MS = 1000;

  private OversizedBodies() {
  }

  public static ProblemException problem(long limit) {
    return ProblemException.of(413, "payload-too-large", "Payload Too Large",
        "The request body is larger than the " + limit + " bytes accepted here.");
  }

  /** Sends the 413 now (nothing of the body has been forwarded) and closes the connection. */
  public static void reject(RoutingContext ctx, long limit) {
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader("Connection", "close");
    }
    Problems.send(ctx, problem(limit)).onComplete(v -> closeSoon(ctx));
  }

  /** Closes the client connection once pending body bytes are drained, within {@link #LINGER_MS}. */
  static void closeSoon(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpConnection conn = req.connection();
    if (req.version() == HttpVersion.HTTP_2 || conn == null) {
      return;  // one stream of a shared connection: its answer ended it
    }
    if (req.isEnded()) {
      conn.close();
      return;
    }
    long timer = ctx.vertx().setTimer(LINGER_MS, id -> conn.close());
    try {
      req.handler(chunk -> { });
      req.endHandler(v -> {
        ctx.vertx().cancelTimer(timer);
        conn.close();
      });
    } catch (IllegalStateException alreadyRead) {
      ctx.vertx().cancelTimer(timer);
      conn.close();
      return;
    }
    req.resume();
  }
}
