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
   * The owner's view of the image, as the API answers it (the "Image" schema of gateway-verticle/openapi.yaml): id, status,
   * purpose, url, thumbnails (size to url when ready, else empty), failureReason (null unless
   * failed), metadata {width, height, format, bytes, camera?, takenAt?} and the two times. Width and
   * height are known from the header at upload and become the displayed size once ready; camera
   * (make and model as one text) and takenAt appear when the worker found them in the EXIF.
   */
  public JsonObject toJson(List<Integer> thumbnailSizes) {
    JsonObject thumbs = new JsonObject();
    if (status == ImageStatus.READY) {
      thumbnailSizes.forEach(size -> thumbs.put(Integer.toString(size), ImageUrls.thumbnail(size, sha256)));
    }
    JsonObject meta = new JsonObject().put("width", width).put("height", height).put("format", format.id())
        .put("bytes", bytes);
    if (metadata != null) {
      String camera = camera(metadata.getJsonObject("camera"));
      if (camera != null) {
        meta.put("camera", camera);
      }
      if (metadata.getString("takenAt") != null) {
        meta.put("takenAt", metadata.getString("takenAt"));
      }
    }
    return new JsonObject().put("id", id.toString()).put("status", status.id()).put("purpose", purpose.id())
        .put("url", url()).put("thumbnails", thumbs).put("failureReason", failureReason).put("metadata", meta)
        .put("createdAt", createdAt.toInstant().toString()).put("updatedAt", updatedAt.toInstant().toString());
  }

  /** "Canon EOS 5D" from make "Canon" and model "Canon EOS 5D" or "EOS 5D"; null when neither is known. */
  static String camera(JsonObject camera) {
    if (camera == null) {
      return null;
    }
    String make = camera.getString("make");
    String model = camera.getString("model");
    if (make == null || model == null) {
      return make != null ? make : model;
    }
    return model.regionMatches(true, 0, make, 0, make.length()) ? model : make + " " + model;
  }
}
