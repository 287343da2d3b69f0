package io.shutterbus.image.db;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.upload.ReceivedUpload;
import io.shutterbus.image.upload.UploadPurpose;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * An image row to insert. {@code uploadEventId} is the id of the {@code images.uploaded} event
 * written to the outbox in the same transaction: the worker's result is applied only for that
 * event, which makes redeliveries and stale events harmless.
 */
public record NewImage(UUID id, UUID ownerId, String sha256, ImageFormat format, long bytes, int width, int height,
                       UploadPurpose purpose, UUID uploadEventId, JsonObject exifFacts) {

  public NewImage(UUID id, UUID ownerId, String sha256, ImageFormat format, long bytes, int width, int height,
                  UploadPurpose purpose, UUID uploadEventId) {
    this(id, ownerId, sha256, format, bytes, width, height, purpose, uploadEventId, null);
  }

  public static NewImage from(ReceivedUpload upload, UUID id, UUID ownerId, UUID uploadEventId) {
    return new NewImage(id, ownerId, upload.sha256(), upload.format(), upload.bytes(), upload.width(), upload.height(),
        upload.purpose(), uploadEventId, upload.exifFacts());
  }
}
