package io.shutterbus.image.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Pixel work for thumbnails: flattening, scaling, EXIF orientation. Pure functions.
 *
 * <p>Everything is kept as {@code TYPE_3BYTE_BGR}, the layout the JPEG decoder produces and the
 * JPEG encoder reads: with {@code TYPE_INT_RGB} in between, the encoder copied each row through
 * the generic per-sample path ({@code Raster.getPixels}), a third of the worker's CPU time.
 */
final class Pixels {
  private Pixels() {
  }

  /** The pixel layout of every image made here. */
  static final int TYPE = BufferedImage.TYPE_3BYTE_BGR;

  /** Any colour model to plain 8-bit BGR, transparent pixels on white. */
  static BufferedImage flatten(BufferedImage image) {
    if (image.getType() == TYPE) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), TYPE);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /**
   * Longest edge at most {@code size} (never larger than the original), halving in steps for
   * quality. {@code width x height} is the original's size; {@code decoded} may be subsampled.
   */
  static BufferedImage scale(BufferedImage decoded, int width, int height, int size) {
    int longest = Math.max(width, height);
    int targetW = width;
    int targetH = height;
    if (longest > size) {
      double factor = (double) size / longest;
      targetW = Math.max(1, (int) Math.round(width * factor));
      targetH = Math.max(1, (int) Math.round(height * factor));
    }
    BufferedImage current = decoded;
    int w = current.getWidth();
    int h = current.getHeight();
    while (w != targetW || h != targetH) {
      w = w > targetW ? Math.max(targetW, w / 2) : targetW;
      h = h > targetH ? Math.max(targetH, h / 2) : targetH;
      BufferedImage next = new BufferedImage(w, h, TYPE);
      Graphics2D g = next.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(current, 0, 0, w, h, null);
      } finally {
        g.dispose();
      }
      current = next;
    }
    return current;
  }

  /** Turns stored pixels into displayed pixels for EXIF orientations 2 to 8 (1 and unknown: as stored). */
  static BufferedImage orient(BufferedImage src, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return src;
    }
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swap = orientation >= 5;
    int dw = swap ? h : w;
    int dh = swap ? w : h;
    int[] in = src.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int dx;
        int dy;
        switch (orientation) {
          case 2 -> { dx = w - 1 - x; dy = y; }              // mirrored
          case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }      // upside down
          case 4 -> { dx = x; dy = h - 1 - y; }              // mirrored upside down
          case 5 -> { dx = y; dy = x; }                      // transposed
          case 6 -> { dx = h - 1 - y; dy = x; }              // turn 90 degrees clockwise
          case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }      // transversed
          default -> { dx = y; dy = w - 1 - x; }             // 8: turn 90 degrees counter-clockwise
        }
        out[dy * dw + dx] = in[y * w + x];
      }
    }
    BufferedImage dst = new BufferedImage(dw, dh, TYPE);
    dst.setRGB(0, 0, dw, dh, out, 0, dw);
    return dst;
  }
}
