package io.shutterbus.gateway.limit;

import io.shutterbus.gateway.GatewayMetrics;
import io.shutterbus.gateway.proxy.OversizedBodies;
import io.shutterbus.gateway.proxy.UpstreamProxy;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The per-account back-off on POST /api/auth/login. The small JSON body is read here (at most
 * {@code maxBytes}, 413 past it) to learn the e-mail; a locked e-mail gets 429 with Retry-After
 * without reaching auth, any other request is forwarded with that same body. Auth's answer then
 * counts: 401 is a failure, 2xx clears the account. The gateway never checks a password itself.
 */
public final class LoginGuard implements Handler<RoutingContext> {
  private static final int MAX_EMAIL = 320;

  private final LoginBackoff backoff;
  private final long maxBytes;
  private final GatewayMetrics metrics;

  public LoginGuard(LoginBackoff backoff, long maxBytes, GatewayMetrics metrics) {
    this.backoff = backoff;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String length = req.getHeader("Content-Length");
    if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > maxBytes) {
      OversizedBodies.reject(ctx, maxBytes);
      return;
    }
    if (req.isEnded()) {
      ctx.next();
      return;
    }
    UpstreamProxy.continueIfExpected(ctx);
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        over[0] = true;
        req.pause();
        OversizedBodies.reject(ctx, maxBytes);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!over[0]) {
        forward(ctx, body);
      }
    });
    req.resume();
  }

  private void forward(RoutingContext ctx, Buffer body) {
    String account = account(body);
    if (account != null) {
      long wait = backoff.retryAfterMillis(account);
      if (wait > 0) {
        metrics.rateLimit("login_account");
        TooManyRequests.send(ctx, wait, "Too many failed sign-ins for this account.");
        return;
      }
      ctx.addHeadersEndHandler(v -> {
        int status = ctx.response().getStatusCode();
        if (status == 401) {
          backoff.failed(account);
        } else if (status >= 200 && status < 300) {
          backoff.succeeded(account);
        }
      });
    }
    UpstreamProxy.useBufferedBody(ctx, body);
    ctx.next();
  }

  /** The normalised e-mail of a login body, or null when there is none to count by (auth answers those). */
  static String account(Buffer body) {
    try {
      Object email = new JsonObject(body).getValue("email");
      if (email instanceof String s && !s.isBlank() && s.length() <= MAX_EMAIL) {
        return s.trim().toLowerCase(Locale.ROOT);
      }
    } catch (RuntimeException e) {
      // not JSON: forwarded as it is, auth answers 400
    }
    return null;
  }
}
