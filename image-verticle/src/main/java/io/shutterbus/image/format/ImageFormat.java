package io.shutterbus.image.format;

import io.shutterbus.kit.uploads.UploadLayout;
import java.util.Locale;
import java.util.Optional;

/**
 * The four formats Shutterbus accepts. {@link #id()} is what the database and events carry,
 * {@link #extension()} what stored file names and URLs end with, {@link #contentType()} the only
 * Content-Type the file is ever served with.
 */
public enum ImageFormat {
  PNG("png", "png"),
  JPEG("jpeg", "jpg"),
  GIF("gif", "gif"),
  WEBP("webp", "webp");

  private final String id;
  private final String extension;
  private final String contentType;

  ImageFormat(String id, String extension) {
    this.id = id;
    this.extension = extension;
    // served by the same table the /uploads servers use, so the two can never disagree
    this.contentType = UploadLayout.contentType(extension).orElseThrow();
  }

  public String id() {
    return id;
  }

  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  /** The format stored under {@code id} (as in the database), e.g. "jpeg". */
  public static Optional<ImageFormat> fromId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String wanted = id.toLowerCase(Locale.ROOT);
    for (ImageFormat f : values()) {
      if (f.id.equals(wanted)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The format whose stored files end with {@code extension} (exact, lower case), e.g. "jpg". */
  public static Optional<ImageFormat> fromExtension(String extension) {
    for (ImageFormat f : values()) {
      if (f.extension.equals(extension)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
