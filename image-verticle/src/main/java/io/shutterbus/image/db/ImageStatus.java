package io.shutterbus.image.db;

/** Where an image is in its pipeline. */
public enum ImageStatus {
  PROCESSING("processing"),
  READY("ready"),
  FAILED("failed");

  private final String id;

  ImageStatus(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static ImageStatus fromId(String id) {
    for (ImageStatus s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown image status " + id);
  }
}
