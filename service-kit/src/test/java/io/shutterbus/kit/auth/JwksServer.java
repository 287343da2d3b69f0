package io.shutterbus.kit.auth;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A real HTTP JWKS endpoint whose document a test can swap, counting how often it is fetched. */
final class JwksServer extends VerticleBase {
  final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
  final AtomicInteger hits = new AtomicInteger();
  private HttpServer server;

  JwksServer(String jwks) {
    document.set(jwks);
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(req -> {
      if (!req.path().equals("/.well-known/jwks.json")) {
        req.response().setStatusCode(404).end();
        return;
      }
      hits.incrementAndGet();
      req.response().putHeader("content-type", "application/json").end(document.get());
    }).listen(0, "127.0.0.1").onSuccess(s -> server = s);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
  }
}
