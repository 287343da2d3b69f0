package io.shutterbus.auth.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What GET /api/me answers. {@code avatarUrl} is null until an avatar image was processed. */
public record Profile(UUID id, String email, String name, String avatarUrl, Instant createdAt, int imageCount) {
  /** The profile as GET /api/me answers it, with the caller's {@code roles} (e.g. ["user", "admin"]). */
  public JsonObject toJson(List<String> roles) {
    return new JsonObject().put("id", id.toString()).put("email", email).put("name", name)
        .put("avatarUrl", avatarUrl).put("createdAt", createdAt.toString()).put("imageCount", imageCount)
        .put("roles", new JsonArray(roles));
  }
}
