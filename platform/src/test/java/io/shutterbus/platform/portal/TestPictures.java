package io.shutterbus.platform.portal;

import io.shutterbus.testkit.images.PhonePhotos;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Files a person might pick: real PNGs made here with ImageIO, and a few that must be refused. */
final class TestPictures {
  private final Path dir;

  TestPictures() {
    try {
      dir = Files.createTempDirectory("portal-pictures");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A colourful PNG, different for each seed (the store is content-addressed: equal files are one). */
  Path png(String name, int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    int r0 = random.nextInt(256);
    int g0 = random.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (r0 + x * 255 / width) & 0xff;
        int g = (g0 + y * 255 / height) & 0xff;
        int b = random.nextInt(64) + 128;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return write(name, image);
  }

  /** A colourful photo as a phone saves it: a JPEG with EXIF orientation and a GPS block ({@link PhonePhotos}). */
  Path phoneJpeg(String name, int width, int height, long seed, int orientation) {
    Path png = png(name + ".png", width, height, seed);
    try {
      BufferedImage image = ImageIO.read(png.toFile());
      return Files.write(dir.resolve(name), PhonePhotos.jpegWithGps(image, orientation));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A real PNG of random noise, so it does not compress, of at least {@code bytes} bytes. */
  Path largePng(String name, long bytes) {
    int side = (int) Math.ceil(Math.sqrt(bytes / 3.0)) + 16;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    Path file = write(name, image);
    try {
      if (Files.size(file) < bytes) {
        throw new IllegalStateException(file + " came out smaller than " + bytes + " bytes");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A PNG whose header is fine (so the upload takes it) but whose pixel data is garbage. */
  Path corruptPng(String name) {
    byte[] ihdr = new byte[13];
    ihdr[3] = 100; // width 100
    ihdr[7] = 100; // height 100
    ihdr[8] = 8;   // bit depth
    ihdr[9] = 2;   // truecolour
    byte[] garbage = new byte[600];
    new Random(7).nextBytes(garbage);
    try (var out = new java.io.ByteArrayOutputStream()) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      chunk(out, "IHDR", ihdr);
      chunk(out, "IDAT", garbage);
      chunk(out, "IEND", new byte[0]);
      Path file = dir.resolve(name);
      Files.write(file, out.toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path text(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path write(String name, BufferedImage image) {
    try {
      Path file = dir.resolve(name);
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.write(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16), (byte) (data.length >>> 8), (byte) data.length});
    out.write(typeBytes);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    long c = crc.getValue();
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
  }
}
