package io.shutterbus.image.upload;

import java.util.Locale;
import java.util.Optional;

/** What an image is for: the owner's gallery (default) or their profile picture. */
public enum UploadPurpose {
  GALLERY("gallery"),
  AVATAR("avatar");

  private final String id;

  UploadPurpose(String id) {
    this.id = id;
  }

  /** The value in the form field, the database and events. */
  public String id() {
    return id;
  }

  public static Optional<UploadPurpose> fromId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (UploadPurpose p : values()) {
      if (p.id.equals(wanted)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
