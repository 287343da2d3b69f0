package io.shutterbus.gateway.proxy;

import io.shutterbus.gateway.GatewayMetrics;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.shutterbus.kit.http.RequestIds;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to an upstream: the body counted against its limit as it streams, the response timeout
 * armed once the body is sent, the circuit breaker around the wait for the answer, and every way it
 * can fail turned into a problem+json answer naming the upstream.
 */
final class UpstreamCall implements ProxyInterceptor {
  static final String CLIENT_REQUEST = "gateway.clientRequest";
  private static final String STATE = "gateway.callState";
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);
  private static final MediaType PROBLEM = MediaType.parse(Problems.CONTENT_TYPE);

  private final Upstream upstream;
  private final CircuitBreaker breaker;
  private final long responseTimeoutMs;
  private final GatewayMetrics metrics;

  /** What happened to the request body, which decides how a failure is read. */
  private static final class State {
    boolean bodySent;
    boolean tooLarge;
    long limit;
  }

  /** The answer, or a failure the upstream is not to blame for (it does not count against its circuit). */
  private record Outcome(ProxyResponse response, Throwable localFailure) {
  }

  UpstreamCall(Upstream upstream, CircuitBreaker breaker, ProxySettings settings, GatewayMetrics metrics) {
    this.upstream = upstream;
    this.breaker = breaker;
    this.responseTimeoutMs = settings.responseTimeout().toMillis();
    this.metrics = metrics;
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext pc) {
    RoutingContext ctx = ForwardedHeaders.routingContext(pc);
    ProxyRequest request = pc.request();
    State state = new State();
    pc.set(STATE, state);
    Buffer buffered = ctx.get(UpstreamProxy.BUFFERED_BODY_KEY);
    Body body = buffered != null ? Body.body(buffered) : request.getBody();
    Long limit = ctx.get(UpstreamProxy.LIMIT_KEY);
    state.limit = limit == null ? Long.MAX_VALUE : limit;
    request.setBody(Body.body(new LimitedBody(body.stream(), state.limit,
        () -> {
          state.bodySent = true;
          HttpClientRequest call = pc.get(CLIENT_REQUEST, HttpClientRequest.class);
          if (call != null) {
            call.idleTimeout(responseTimeoutMs);
          }
        },
        () -> state.tooLarge = true), body.length()));

    return breaker.<Outcome>execute(() -> pc.sendRequest()
            .map(r -> new Outcome(r, null))
            .recover(err -> blamesUpstream(state, ctx)
                ? Future.failedFuture(err)
                : Future.succeededFuture(new Outcome(null, err))))
        .transform(ar -> {
          if (ar.succeeded() && ar.result().response() != null) {
            return Future.succeededFuture(ar.result().response());
          }
          Throwable err = ar.succeeded() ? ar.result().localFailure() : ar.cause();
          return Future.succeededFuture(problemResponse(pc, ctx, state, err));
        });
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext pc) {
    State state = pc.get(STATE, State.class);
    Future<Void> sent = pc.sendResponse();
    if (state != null && state.tooLarge) {
      RoutingContext ctx = ForwardedHeaders.routingContext(pc);
      sent.onComplete(v -> OversizedBodies.closeSoon(ctx));
    }
    return sent;
  }

  private static boolean blamesUpstream(State state, RoutingContext ctx) {
    return !state.tooLarge && !ctx.response().closed();
  }

  private ProxyResponse problemResponse(ProxyContext pc, RoutingContext ctx, State state, Throwable err) {
    ProblemException problem;
    if (state.tooLarge) {
      problem = OversizedBodies.problem(state.limit);
    } else if (ctx.response().closed()) {
      problem = ProblemException.of(499, "client-closed", "Client Closed Request", "The client went away.");
    } else {
      String reason = reason(err, state);
      metrics.upstreamError(upstream.name(), reason);
      if (reason.equals("circuit_open")) {
        LOG.debug("request {} {} -> {}: circuit open", RequestIds.of(ctx), ctx.request().path(), upstream);
      } else {
        LOG.warn("request {} {} -> {}: {} ({})", RequestIds.of(ctx), ctx.request().path(), upstream,
            reason, err.toString());
      }
      problem = switch (reason) {
        case "timeout" -> new ProblemException(504, Problems.type("dependency-timeout"), "Gateway Timeout",
            "The " + upstream.name() + " service did not answer in time; try again in a moment.",
            new JsonObject().put("dependency", upstream.name()));
        case "bad_gateway" -> new ProblemException(502, Problems.type("dependency-failed"), "Bad Gateway",
            "The " + upstream.name() + " service broke off its answer; try again in a moment.",
            new JsonObject().put("dependency", upstream.name()));
        default -> ProblemException.unavailable(upstream.name(),
            "The " + upstream.name() + " service is unavailable right now; try again in a moment.");
      };
    }
    ProxyResponse response = pc.request().release().response()
        .setStatusCode(problem.status())
        .setBody(Body.body(Buffer.buffer(Problems.body(problem, ctx).encode()), PROBLEM));
    if (state.tooLarge && !ctx.response().headWritten()) {
      ctx.response().putHeader("Connection", "close");  // on the answer itself: upstream hop-by-hop headers are dropped
    }
    return response;
  }

  private static String reason(Throwable err, State state) {
    if (err instanceof OpenCircuitException) {
      return "circuit_open";
    }
    for (Throwable c = err; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof TimeoutException) {
        return state.bodySent ? "timeout" : "unavailable";
      }
      if (c instanceof ConnectException || c instanceof ConnectionPoolTooBusyException
          || c instanceof UnknownHostException) {
        return "unavailable";
      }
    }
    return "bad_gateway";
  }
}
