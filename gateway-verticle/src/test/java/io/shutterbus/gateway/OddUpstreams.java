package io.shutterbus.gateway;

import io.shutterbus.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.util.concurrent.atomic.AtomicInteger;

/** Upstreams that misbehave on purpose, and the JWKS endpoint. */
final class OddUpstreams {
  private OddUpstreams() {
  }

  /** Accepts requests and never answers. */
  static final class Silent extends VerticleBase {
    final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @Override
    public Future<?> start() {
      return vertx.createHttpServer().requestHandler(req -> requests.incrementAndGet())
          .listen(0, "127.0.0.1").onSuccess(s -> server = s);
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort();
    }
  }

  /** Reads the request, then closes the connection without an answer. */
  static final class Hangup extends VerticleBase {
    private NetServer server;

    @Override
    public Future<?> start() {
      return vertx.createNetServer().connectHandler(so -> so.handler(buf -> so.close()))
          .listen(0, "127.0.0.1").onSuccess(s -> server = s);
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort();
    }
  }

  /** Serves a JWKS document at /.well-known/jwks.json, counting fetches. */
  static final class Jwks extends VerticleBase {
    final AtomicInteger hits = new AtomicInteger();
    /** How long each answer is held back (a slow key server keeps token checks waiting). */
    volatile long delayMs;
    private final String document;
    private HttpServer server;

    Jwks(TestTokens.SigningKey... keys) {
      this.document = TestTokens.jwks(keys);
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer().requestHandler(req -> {
        hits.incrementAndGet();
        if (delayMs > 0) {
          vertx.setTimer(delayMs, t -> req.response().putHeader("content-type", "application/json").end(document));
        } else {
          req.response().putHeader("content-type", "application/json").end(document);
        }
      }).listen(0, "127.0.0.1").onSuccess(s -> server = s);
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
    }
  }
}
