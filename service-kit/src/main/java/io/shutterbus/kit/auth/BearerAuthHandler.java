package io.shutterbus.kit.auth;

import io.shutterbus.kit.auth.InvalidTokenException.Reason;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.shutterbus.kit.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires a valid Bearer access token. On success the {@link AuthPrincipal} is put on the routing
 * context ({@link #principal(RoutingContext)}) and the next handler runs; otherwise the answer is
 * 401 problem+json with {@code WWW-Authenticate: Bearer}, or 503 naming the auth service when no
 * signing key can be had. The request is paused while the token is checked, so a streamed body
 * that follows is not lost.
 */
public final class BearerAuthHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthHandler.class);
  private static final String PRINCIPAL_KEY = "shutterbus.principal";
  private static final String REALM = "shutterbus";

  private final JwksVerifier verifier;
  private final String dependency;

  private BearerAuthHandler(JwksVerifier verifier, String dependency) {
    this.verifier = verifier;
    this.dependency = dependency;
  }

  /** @param dependency the name a 503 gives for the service that serves the JWKS, e.g. {@code auth} */
  public static BearerAuthHandler create(JwksVerifier verifier, String dependency) {
    return new BearerAuthHandler(verifier, dependency);
  }

  /** The principal a preceding {@code BearerAuthHandler} verified, or null. */
  public static AuthPrincipal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL_KEY);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = JwksVerifier.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      reject(ctx, new InvalidTokenException(Reason.MISSING, "no Bearer token"));
      return;
    }
    boolean paused = !ctx.request().isEnded();
    if (paused) {
      ctx.request().pause();
    }
    verifier.verify(token).onComplete(ar -> {
      if (paused) {
        ctx.request().resume();
      }
      if (ar.succeeded()) {
        ctx.put(PRINCIPAL_KEY, ar.result());
        ctx.next();
      } else if (ar.cause() instanceof InvalidTokenException invalid) {
        reject(ctx, invalid);
      } else if (ar.cause() instanceof KeysUnavailableException unavailable) {
        LOG.debug("request {}: cannot check tokens: {}", RequestIds.of(ctx), unavailable.getMessage());
        Problems.send(ctx, ProblemException.unavailable(dependency,
            "Sign-in cannot be checked right now; try again in a moment."));
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private static void reject(RoutingContext ctx, InvalidTokenException e) {
    if (e.reason() == Reason.MISSING) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
      Problems.send(ctx, ProblemException.unauthorized("A Bearer access token is required."));
      return;
    }
    LOG.debug("request {}: token refused: {} ({})", RequestIds.of(ctx), e.reason(), e.getMessage());
    String detail = e.reason() == Reason.EXPIRED
        ? "The access token has expired." : "The access token is not valid.";
    ctx.response().putHeader("WWW-Authenticate",
        "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + detail + "\"");
    Problems.send(ctx, ProblemException.unauthorized(detail));
  }
}
