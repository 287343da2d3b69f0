package io.shutterbus.image.db;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.upload.UploadPurpose;
import java.util.UUID;

/**
 * A deleted image row. When {@code blobStillReferenced} is false, no image referred to the blob
 * when the row went; its files are removed after the commit, under the blob's lock and after a
 * second look ({@code BlobCollector.removeIfUnused}).
 */
public record DeletedImage(UUID id, UUID ownerId, String sha256, ImageFormat format, UploadPurpose purpose,
                           boolean blobStillReferenced) {
}
