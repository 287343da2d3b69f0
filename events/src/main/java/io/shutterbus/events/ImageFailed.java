package io.shutterbus.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** An image could not be processed; {@code reason} is safe to show its owner (no stack trace, no path). */
public record ImageFailed(UUID imageId, UUID ownerId, String reason, Instant failedAt) implements DomainEvent {
  public static final String TYPE = "shutterbus.image.failed.v1";
  public static final String TOPIC = Topics.IMAGES_FAILED;

  public ImageFailed {
    EventData.require(imageId, "imageId");
    EventData.require(ownerId, "ownerId");
    EventData.require(reason, "reason");
    EventData.require(failedAt, "failedAt");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String topic() {
    return TOPIC;
  }

  @Override
  public String key() {
    return imageId.toString();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("imageId", imageId.toString())
        .put("ownerId", ownerId.toString())
        .put("reason", reason)
        .put("failedAt", failedAt.toString());
  }

  public static ImageFailed fromJson(JsonObject data) {
    return new ImageFailed(EventData.uuid(data, "imageId"), EventData.uuid(data, "ownerId"),
        EventData.string(data, "reason"), EventData.instant(data, "failedAt"));
  }
}
