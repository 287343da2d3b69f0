package io.shutterbus.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * An image was accepted and stored under its content hash; the worker makes thumbnails and
 * metadata from it. {@code format} is the type decided by magic bytes: png, jpeg, gif or webp.
 */
public record ImageUploaded(UUID imageId, UUID ownerId, String sha256, String format, long bytes,
                            ImagePurpose purpose, Instant uploadedAt) implements DomainEvent {
  public static final String TYPE = "shutterbus.image.uploaded.v1";
  public static final String TOPIC = Topics.IMAGES_UPLOADED;

  public ImageUploaded {
    EventData.require(imageId, "imageId");
    EventData.require(ownerId, "ownerId");
    EventData.require(sha256, "sha256");
    EventData.require(format, "format");
    EventData.require(purpose, "purpose");
    EventData.require(uploadedAt, "uploadedAt");
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
        .put("sha256", sha256)
        .put("format", format)
        .put("bytes", bytes)
        .put("purpose", purpose.wire())
        .put("uploadedAt", uploadedAt.toString());
  }

  public static ImageUploaded fromJson(JsonObject data) {
    return new ImageUploaded(EventData.uuid(data, "imageId"), EventData.uuid(data, "ownerId"),
        EventData.string(data, "sha256"), EventData.string(data, "format"), EventData.number(data, "bytes"),
        ImagePurpose.fromWire(EventData.string(data, "purpose")), EventData.instant(data, "uploadedAt"));
  }
}
