package io.shutterbus.image.format;

/**
 * What the first bytes of a file say: its format and the pixel size it declares. For a GIF the
 * size covers the logical screen and the first frame, whichever reaches further.
 */
public record ImageHeader(ImageFormat format, int width, int height) {

  public long pixels() {
    return (long) width * height;
  }
}
