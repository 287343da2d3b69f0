package io.shutterbus.image.db;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.upload.UploadPurpose;
import java.util.UUID;

/**
 * A deleted image row. When {@code blobStillReferenced} is false, no image refers to the blob any
 * more and it should be removed from the store before the transaction commits (see
 * {@link ImageRepository#deleteImage}).
 */
public record DeletedImage(UUID id, UUID ownerId, String sha256, ImageFormat format, UploadPurpose purpose,
                           boolean blobStillReferenced) {
}
