package io.shutterbus.image.render;

import io.shutterbus.image.format.ImageFormat;
import java.time.LocalDateTime;

/**
 * What the worker learned about an image. Width and height are as displayed (after the EXIF
 * orientation); camera and date are null when the file has no EXIF for them. {@code takenAt} is
 * the camera's local time (EXIF DateTimeOriginal carries no zone).
 */
public record ImageMetadata(int width, int height, ImageFormat format, long bytes, int orientation,
                            String cameraMake, String cameraModel, LocalDateTime takenAt) {
}
