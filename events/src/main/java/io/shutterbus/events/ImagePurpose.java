package io.shutterbus.events;

import java.util.Locale;

/** What an upload is for: the gallery, or the uploader's profile picture. */
public enum ImagePurpose {
  GALLERY, AVATAR;

  /** The form on the wire and in the API: {@code gallery}, {@code avatar}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ImagePurpose fromWire(String value) {
    for (ImagePurpose p : values()) {
      if (p.wire().equals(value)) {
        return p;
      }
    }
    throw new InvalidEventException("unknown image purpose '" + value + "'");
  }
}
