package io.shutterbus.auth.endpoint;

import io.shutterbus.auth.token.SigningKey;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** GET /.well-known/jwks.json: the public key that verifies access tokens (internal; verifiers cache it). */
public final class JwksHandler implements Handler<RoutingContext> {
  private final String body;

  public JwksHandler(SigningKey key) {
    this.body = new JsonObject().put("keys", new JsonArray().add(key.jwk())).encode();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json")
        .putHeader("cache-control", "public, max-age=300").end(body);
  }
}
