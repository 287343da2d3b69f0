package io.shutterbus.image.upload;

import io.shutterbus.image.format.ImageFormat;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * An upload that passed every check made while it streamed in: within the byte limit, a PNG, JPEG,
 * GIF or WebP by its magic bytes, within the pixel budget by its header. {@code tempFile} is in the
 * store's temp directory, named by the server; the caller moves it into the store
 * ({@code ContentStore.putOriginal}) or deletes it. Once {@link UploadStripper} has run, the temp
 * file, hash and size are those of the copy without metadata, and {@code exifFacts} holds what the
 * owner is shown of the removed EXIF (null before).
 */
public record ReceivedUpload(Path tempFile, String sha256, long bytes, ImageFormat format, int width, int height,
                             UploadPurpose purpose, JsonObject exifFacts) {

  public ReceivedUpload(Path tempFile, String sha256, long bytes, ImageFormat format, int width, int height,
                        UploadPurpose purpose) {
    this(tempFile, sha256, bytes, format, width, height, purpose, null);
  }
}
