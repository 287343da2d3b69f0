package io.shutterbus.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Its owner deleted an image. Consumers drop what they derived from it: the profile's image count,
 * and the avatar when {@code url} is the current one.
 */
public record ImageDeleted(UUID imageId, UUID ownerId, ImagePurpose purpose, String url, Instant deletedAt)
    implements DomainEvent {
  public static final String TYPE = "shutterbus.image.deleted.v1";
  public static final String TOPIC = Topics.IMAGES_DELETED;

  public ImageDeleted {
    EventData.require(imageId, "imageId");
    EventData.require(ownerId, "ownerId");
    EventData.require(purpose, "purpose");
    EventData.require(url, "url");
    EventData.require(deletedAt, "deletedAt");
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
        .put("purpose", purpose.wire())
        .put("url", url)
        .put("deletedAt", deletedAt.toString());
  }

  public static ImageDeleted fromJson(JsonObject data) {
    return new ImageDeleted(EventData.uuid(data, "imageId"), EventData.uuid(data, "ownerId"),
        ImagePurpose.fromWire(EventData.string(data, "purpose")), EventData.string(data, "url"),
        EventData.instant(data, "deletedAt"));
  }
}
