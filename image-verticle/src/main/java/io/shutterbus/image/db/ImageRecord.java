package io.shutterbus.image.db;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.serve.ImageUrls;
import io.shutterbus.image.upload.UploadPurpose;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code images.images}. Width and height are as the header declared them while the image
 * is processing, and as displayed (EXIF orientation applied) once it is ready. {@code metadata} is
 * null until then; {@code failureReason} is set exactly when the status is failed.
 */
public record ImageRecord(UUID id, UUID ownerId, String sha256, ImageFormat format, long bytes, int width, int height,
                          UploadPurpose purpose, ImageStatus status, String failureReason, JsonObject metadata,
                          OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  public String url() {
    return ImageUrls.original(sha256, format);
  }

  /**
   * The owner's view of the image, as the API answers it: id, status, url, format, bytes, width,
   * height, purpose, createdAt, updatedAt, plus thumbnails (size to url) and metadata when ready
   * and failureReason when failed.
   */
  public JsonObject toJson(List<Integer> thumbnailSizes) {
    JsonObject json = new JsonObject().put("id", id.toString()).put("status", status.id()).put("url", url())
        .put("format", format.id()).put("bytes", bytes).put("width", width).put("height", height)
        .put("purpose", purpose.id()).put("createdAt", createdAt.toInstant().toString())
        .put("updatedAt", updatedAt.toInstant().toString());
    if (status == ImageStatus.READY) {
      JsonObject thumbs = new JsonObject();
      thumbnailSizes.forEach(size -> thumbs.put(Integer.toString(size), ImageUrls.thumbnail(size, sha256)));
      json.put("thumbnails", thumbs);
      if (metadata != null) {
        json.put("metadata", metadata);
      }
    }
    if (failureReason != null) {
      json.put("failureReason", failureReason);
    }
    return json;
  }
}
