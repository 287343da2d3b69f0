package io.shutterbus.platform.images;

import io.shutterbus.testkit.images.PhonePhotos;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Image files for the platform tests: real PNGs, a truncated one, and one whose header lies about its size. */
final class Pictures {
  private Pictures() {
  }

  /** A real PNG, {@code width x height}, two colours (so different sizes give different bytes). */
  static byte[] png(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, width / 3, height);
    g.dispose();
    return encode(img);
  }

  /** Random pixels: large compressed data, so a cut lands in the middle of it. */
  static byte[] noisyPng(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(width * 31L + height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return encode(img);
  }

  /** The first 60 % of a real PNG: a valid header, data that ends early. */
  static byte[] truncatedPng(int width, int height) {
    byte[] whole = noisyPng(width, height);
    return Arrays.copyOf(whole, whole.length * 6 / 10);
  }

  /** About 1 KB: a PNG signature and an IHDR (correct CRC) declaring {@code width x height}, padding, IEND. */
  static byte[] pngDeclaring(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    byte[] text = ("Comment\0" + "x".repeat(950)).getBytes(StandardCharsets.ISO_8859_1);
    return concat(signature, chunk("IHDR", ihdr.array()), chunk("tEXt", text), chunk("IEND", new byte[0]));
  }

  /** A JPEG as a phone writes it, with a GPS block ({@link PhonePhotos}). */
  static byte[] phoneJpeg(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return PhonePhotos.jpegWithGps(img, 1);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
        .putInt((int) crc.getValue()).array();
  }

  private static byte[] encode(BufferedImage img) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
