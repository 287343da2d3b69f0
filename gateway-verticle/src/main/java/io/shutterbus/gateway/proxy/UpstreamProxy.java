package io.shutterbus.gateway.proxy;

import io.shutterbus.gateway.GatewayMetrics;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams requests to one upstream: vertx-http-proxy underneath (no body is buffered), a circuit
 * breaker of its own, and the gateway's header policy, body limits and timeouts. Failures become
 * problem+json naming the upstream: 503 when it cannot be reached or its circuit is open, 504 when
 * it does not answer in time, 502 when its answer breaks off.
 */
public final class UpstreamProxy {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);
  static final String LIMIT_KEY = "gateway.bodyLimit";
  static final String BUFFERED_BODY_KEY = "gateway.bufferedBody";

  private final Upstream upstream;
  private final CircuitBreaker breaker;
  private final ProxyHandler handler;

  public UpstreamProxy(Vertx vertx, HttpClient client, Upstream upstream, ProxySettings settings,
                       ClientAddress clients, GatewayMetrics metrics) {
    this.upstream = upstream;
    this.breaker = CircuitBreaker.create("gateway-" + upstream.name(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(settings.breakerMaxFailures())
        .setFailuresRollingWindow(settings.breakerWindow().toMillis())
        .setResetTimeout(settings.breakerReset().toMillis())
        .setTimeout(-1)   // our own timeouts apply; the breaker only counts
        .setMaxRetries(0))
        .openHandler(v -> LOG.warn("circuit to {} open: calls answer 503 at once for {} ms", upstream,
            settings.breakerReset().toMillis()))
        .halfOpenHandler(v -> LOG.info("circuit to {} half-open: trying one call", upstream))
        .closeHandler(v -> LOG.info("circuit to {} closed: {} answers again", upstream, upstream.name()));
    long connectMs = settings.connectTimeout().toMillis();
    // No WebSocket tunnels: an upgrade would bypass the interceptors and with them the header policy.
    HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client)
        .origin(pc -> pc.client().request(new RequestOptions()
                .setHost(upstream.host()).setPort(upstream.port()).setSsl(upstream.ssl())
                .setConnectTimeout(connectMs))
            .andThen(ar -> {
              if (ar.succeeded()) {
                pc.set(UpstreamCall.CLIENT_REQUEST, ar.result());
                // failures surface through the response future; without a handler each is also logged as ERROR
                ar.result().exceptionHandler(err -> { });
              }
            }))
        .addInterceptor(new ForwardedHeaders(clients))
        .addInterceptor(new UpstreamCall(upstream, breaker, settings, metrics));
    this.handler = ProxyHandler.create(proxy);
  }

  /** Makes the forward that follows send {@code body}, already read by an earlier handler, instead of the stream. */
  public static void useBufferedBody(RoutingContext ctx, Buffer body) {
    ctx.put(BUFFERED_BODY_KEY, body);
  }

  public Upstream upstream() {
    return upstream;
  }

  /**
   * Forwards what reaches it, refusing bodies over {@code limitBytes}: a larger Content-Length at
   * once, a chunked body as soon as it passes the limit.
   */
  public Handler<RoutingContext> forward(long limitBytes) {
    return ctx -> {
      String length = ctx.request().getHeader("Content-Length");
      if (length != null) {
        long declared;
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          declared = -1;
        }
        if (declared < 0) {
          ctx.fail(400);
          return;
        }
        if (declared > limitBytes) {
          OversizedBodies.reject(ctx, limitBytes);
          return;
        }
      }
      ctx.put(LIMIT_KEY, limitBytes);
      continueIfExpected(ctx);
      handler.handle(ctx);
    };
  }

  /**
   * Answers {@code Expect: 100-continue} once the gateway has accepted a request (token, size): the
   * client sends its body only then, and a refused one (401, 413) is never sent at all. The header
   * is not passed on, since the gateway has answered it.
   */
  public static void continueIfExpected(RoutingContext ctx) {
    String expect = ctx.request().getHeader("Expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue") && !ctx.response().headWritten()
        && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_1_0) {
      ctx.response().writeContinue();
    }
  }

  public void close() {
    breaker.close();
  }
}
