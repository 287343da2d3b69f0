package io.shutterbus.auth.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** An account as the API shows it (never with its password hash). */
public record User(UUID id, String email, String name, Instant createdAt) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("email", email).put("name", name)
        .put("createdAt", createdAt.toString());
  }
}
