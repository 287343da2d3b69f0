package io.shutterbus.kit.http;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into problem+json. Known causes get their own status (bad JSON 400, the
 * database away 503); anything else is a 500 whose cause goes to the log with the request id, not
 * to the client.
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Problems.send(ctx, toProblem(ctx));
  }

  static ProblemException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException p) {
      return p;
    }
    if (failure instanceof DecodeException || failure instanceof DecoderException) {
      return ProblemException.badRequest("The request body is not valid JSON.");
    }
    if (failure instanceof HttpException http) {
      return forStatus(http.getStatusCode(), ctx);
    }
    if (isDatabaseUnavailable(failure)) {
      LOG.warn("request {} {} failed: database unavailable ({})", RequestIds.of(ctx), ctx.request().path(),
          failure.toString());
      return ProblemException.unavailable("postgresql",
          "The database is unavailable right now; try again in a moment.");
    }
    if (failure == null) {
      return forStatus(ctx.statusCode(), ctx);
    }
    LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(), failure);
    return ProblemException.of(500, "internal", "Internal Server Error",
        "Something went wrong on our side; quote the requestId when reporting it.");
  }

  /** A problem for a bare status, as the router raises for 404, 405, 413 and the like. */
  public static ProblemException forStatus(int status, RoutingContext ctx) {
    return switch (status) {
      case 400 -> ProblemException.badRequest("The request is malformed.");
      case 401 -> ProblemException.unauthorized("A valid Bearer token is required.");
      case 403 -> ProblemException.of(403, "forbidden", "Forbidden", "You are not allowed to do this.");
      case 404 -> ProblemException.notFound("Nothing is at " + ctx.request().path() + ".");
      case 405 -> ProblemException.of(405, "method-not-allowed", "Method Not Allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path() + ".");
      case 413 -> ProblemException.of(413, "payload-too-large", "Payload Too Large",
          "The request body is larger than this endpoint accepts.");
      case 415 -> ProblemException.of(415, "unsupported-media-type", "Unsupported Media Type",
          "This content type is not accepted here.");
      case 503 -> ProblemException.of(503, "unavailable", "Service Unavailable", "Try again in a moment.");
      default -> status >= 400 && status < 500
          ? ProblemException.of(status, "client-error", "Client Error", "The request was rejected.")
          : ProblemException.of(500, "internal", "Internal Server Error",
              "Something went wrong on our side; quote the requestId when reporting it.");
    };
  }

  /**
   * Connection refused, closed, reset, pool queue full or timed out: the database is away, not the
   * request wrong. A socket reset reaches a handler only from the database client here (HTTP calls
   * to other services answer their own problems), e.g. a query in flight when PostgreSQL shuts down:
   * the postgres-down drill saw it as a 500 before this.
   */
  public static boolean isDatabaseUnavailable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof ClosedConnectionException
          || c instanceof ConnectionPoolTooBusyException || c instanceof TimeoutException || isSocketReset(c)) {
        return true;
      }
      if (c instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** NIO says {@code SocketException}; Netty's native transport its own IOException (no compile-time dependency on it). */
  private static boolean isSocketReset(Throwable c) {
    return c instanceof java.net.SocketException
        || "io.netty.channel.unix.Errors$NativeIoException".equals(c.getClass().getName());
  }
}
