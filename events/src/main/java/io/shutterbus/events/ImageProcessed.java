package io.shutterbus.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Thumbnails and metadata of an image are ready. {@code thumbnails} maps the longest edge in pixels
 * (256, 1024) to the thumbnail's URL; on the wire it is an object keyed by the size as a string.
 */
public record ImageProcessed(UUID imageId, UUID ownerId, ImagePurpose purpose, int width, int height,
                             String format, Map<Integer, String> thumbnails, String url, Instant processedAt)
    implements DomainEvent {
  public static final String TYPE = "shutterbus.image.processed.v1";
  public static final String TOPIC = Topics.IMAGES_PROCESSED;

  public ImageProcessed {
    EventData.require(imageId, "imageId");
    EventData.require(ownerId, "ownerId");
    EventData.require(purpose, "purpose");
    EventData.require(format, "format");
    EventData.require(url, "url");
    EventData.require(processedAt, "processedAt");
    thumbnails = thumbnails == null ? Map.of() : Map.copyOf(thumbnails);
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
    JsonObject thumbs = new JsonObject();
    new TreeMap<>(thumbnails).forEach((size, u) -> thumbs.put(Integer.toString(size), u));
    return new JsonObject()
        .put("imageId", imageId.toString())
        .put("ownerId", ownerId.toString())
        .put("purpose", purpose.wire())
        .put("width", width)
        .put("height", height)
        .put("format", format)
        .put("thumbnails", thumbs)
        .put("url", url)
        .put("processedAt", processedAt.toString());
  }

  public static ImageProcessed fromJson(JsonObject data) {
    Map<Integer, String> thumbs = new TreeMap<>();
    EventData.object(data, "thumbnails").forEach(e -> {
      int size;
      try {
        size = Integer.parseInt(e.getKey());
      } catch (NumberFormatException ex) {
        throw new InvalidEventException("thumbnail size '" + e.getKey() + "' is not a number", ex);
      }
      if (!(e.getValue() instanceof String u)) {
        throw new InvalidEventException("thumbnail " + size + " has no URL");
      }
      thumbs.put(size, u);
    });
    return new ImageProcessed(EventData.uuid(data, "imageId"), EventData.uuid(data, "ownerId"),
        ImagePurpose.fromWire(EventData.string(data, "purpose")),
        (int) EventData.number(data, "width"), (int) EventData.number(data, "height"),
        EventData.string(data, "format"), thumbs, EventData.string(data, "url"),
        EventData.instant(data, "processedAt"));
  }
}
