package io.shutterbus.testkit.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Real image files made on the spot, so no test depends on a binary in git. */
public final class TestImages {
  private TestImages() {
  }

  /** A real PNG, {@code width x height}, two colours; {@code seed} varies the bytes (same size, new hash). */
  public static byte[] png(int width, int height, int seed) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0xFF8800 ^ (seed * 0x010203 & 0xFFFFFF)));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, width / 3, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
