package io.shutterbus.image;

import io.shutterbus.testkit.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real JWKS endpoint and ES256 access tokens over its key, standing in for the auth service. */
final class TestIdentity implements AutoCloseable {
  static final String ISSUER = "shutterbus";
  static final String AUDIENCE = "shutterbus-api";
  private final Vertx vertx = Vertx.vertx();
  private final TestTokens.SigningKey key = TestTokens.es256("image-test-key");
  private final HttpServer server;

  TestIdentity() throws Exception {
    String jwks = TestTokens.jwks(key);
    server = vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("content-type", "application/json").end(jwks))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  /** What the image service needs to find the keys. */
  Map<String, String> env() {
    return Map.of("AUTH_JWKS_URL", "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json");
  }

  String token(UUID user) {
    return key.sign(TestTokens.claims(ISSUER, AUDIENCE, user.toString()));
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
