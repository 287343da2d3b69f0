package io.shutterbus.auth.endpoint;

import io.shutterbus.auth.token.SigningKey;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * GET /.well-known/jwks.json: the public keys that verify access tokens (internal; verifiers cache it):
 * the signing key, and during a key rotation the extra one (the next or the previous key).
 */
public final class JwksHandler implements Handler<RoutingContext> {
  private final String body;

  public JwksHandler(SigningKey key, List<SigningKey> alsoPublished) {
    JsonArray keys = new JsonArray().add(key.jwk());
    alsoPublished.forEach(k -> keys.add(k.jwk()));
    this.body = new JsonObject().put("keys", keys).encode();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json")
        .putHeader("cache-control", "public, max-age=300").end(body);
  }
}
