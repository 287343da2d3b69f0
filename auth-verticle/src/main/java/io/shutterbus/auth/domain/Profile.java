package io.shutterbus.auth.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** What GET /api/me answers. {@code avatarUrl} is null until an avatar image was processed. */
public record Profile(UUID id, String email, String name, String avatarUrl, Instant createdAt, int imageCount) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("email", email).put("name", name)
        .put("avatarUrl", avatarUrl).put("createdAt", createdAt.toString()).put("imageCount", imageCount);
  }
}
