package io.shutterbus.loadtest.gatling;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/** Distinct PNGs (a new seed each), so the content-addressed store cannot deduplicate uploads. */
final class Pictures {
  static final String BOUNDARY = "loadtest-boundary-7d1f3a";
  static final String MULTIPART_CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
  private static final AtomicLong SEEDS = new AtomicLong(System.nanoTime());

  private Pictures() {
  }

  static byte[] distinctPng(int width, int height) {
    long seed = SEEDS.incrementAndGet();
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int noise = random.nextInt(32);
        image.setRGB(x, y, (((x + (int) seed) & 0xFF ^ noise) << 16) | (((y * 3) & 0xFF ^ noise) << 8) | ((x * y) & 0xFF ^ noise));
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  /** One form field "image" holding the file, as the portal's upload form sends it. */
  static byte[] multipart(String filename, byte[] png) {
    byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename
        + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + png.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(png, 0, body, head.length, png.length);
    System.arraycopy(tail, 0, body, head.length + png.length, tail.length);
    return body;
  }
}
