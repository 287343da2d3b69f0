package io.shutterbus.image.render;

import io.shutterbus.image.format.ImageFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds the EXIF (TIFF) block of an image file by walking its container structure, and reads at
 * most {@value #MAX_BYTES} bytes of it. Nothing else is read, inflated or kept: compressed text
 * chunks (zTXt, iTXt), ICC profiles (iCCP, APP2), XMP and any chain of APP segments are skipped by
 * their lengths, so a file crafted to inflate to gigabytes costs a few header reads. The walk
 * itself stops after {@value #MAX_STEPS} chunks or segments.
 */
final class ExifBlock {
  static final int MAX_BYTES = 64 * 1024;
  static final int MAX_STEPS = 4096;
  private static final byte[] EXIF_PREAMBLE = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

  private final FileChannel channel;
  private final long size;
  private final ByteBuffer word = ByteBuffer.allocate(8);

  private ExifBlock(FileChannel channel) throws IOException {
    this.channel = channel;
    this.size = channel.size();
  }

  /** The TIFF bytes of the file's EXIF block (at most {@value #MAX_BYTES}), or null when it has none. */
  static byte[] read(Path file, ImageFormat format) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ExifBlock b = new ExifBlock(channel);
      return switch (format) {
        case JPEG -> b.jpeg();
        case PNG -> b.png();
        case WEBP -> b.webp();
        case GIF -> null;
      };
    }
  }

  /** APP1 segments until the image data; the first one that starts with "Exif\0\0". */
  private byte[] jpeg() throws IOException {
    long pos = 2;
    for (int step = 0; step < MAX_STEPS && pos + 4 <= size; step++) {
      if (u8(pos) != 0xFF) {
        return null;
      }
      int marker = u8(pos + 1);
      if (marker == 0xFF) {
        pos++;  // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        pos += 2;
        continue;
      }
      if (marker == 0xDA || marker == 0xD9) {
        return null;  // image data: EXIF comes before it or not at all
      }
      int length = u16be(pos + 2);
      if (length < 2) {
        return null;
      }
      if (marker == 0xE1 && length >= 2 + EXIF_PREAMBLE.length && startsWith(pos + 4, EXIF_PREAMBLE)) {
        return bytes(pos + 4 + EXIF_PREAMBLE.length, length - 2 - EXIF_PREAMBLE.length);
      }
      pos += 2 + length;
    }
    return null;
  }

  /** Chunks until the image data; the eXIf chunk. */
  private byte[] png() throws IOException {
    long pos = 8;
    for (int step = 0; step < MAX_STEPS && pos + 8 <= size; step++) {
      long length = u32be(pos);
      String type = fourCc(pos + 4);
      if (type.equals("eXIf")) {
        return bytes(pos + 8, length);
      }
      if (type.equals("IDAT") || type.equals("IEND") || length > Integer.MAX_VALUE) {
        return null;
      }
      pos += 12 + length;
    }
    return null;
  }

  /** RIFF chunks (each padded to an even size); the EXIF chunk, with or without a preamble. */
  private byte[] webp() throws IOException {
    long pos = 12;
    for (int step = 0; step < MAX_STEPS && pos + 8 <= size; step++) {
      String type = fourCc(pos);
      long length = u32le(pos + 4);
      if (type.equals("EXIF")) {
        long start = startsWith(pos + 8, EXIF_PREAMBLE) ? pos + 8 + EXIF_PREAMBLE.length : pos + 8;
        return bytes(start, length - (start - pos - 8));
      }
      pos += 8 + length + (length & 1);
    }
    return null;
  }

  private byte[] bytes(long from, long length) throws IOException {
    int n = (int) Math.max(0, Math.min(Math.min(length, MAX_BYTES), size - from));
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining() && channel.read(buf, from + buf.position()) > 0) {
      // until the block (or the file) ends
    }
    return buf.position() == n ? buf.array() : null;
  }

  private boolean startsWith(long pos, byte[] prefix) throws IOException {
    byte[] got = bytes(pos, prefix.length);
    return got != null && java.util.Arrays.equals(got, prefix);
  }

  private ByteBuffer at(long pos, int n) throws IOException {
    word.clear().limit(n);
    while (word.hasRemaining()) {
      if (channel.read(word, pos + word.position()) < 0) {
        throw new java.io.EOFException();
      }
    }
    return word.flip();
  }

  private int u8(long pos) throws IOException {
    return at(pos, 1).get() & 0xFF;
  }

  private int u16be(long pos) throws IOException {
    return at(pos, 2).order(java.nio.ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
  }

  private long u32be(long pos) throws IOException {
    return at(pos, 4).order(java.nio.ByteOrder.BIG_ENDIAN).getInt() & 0xFFFFFFFFL;
  }

  private long u32le(long pos) throws IOException {
    return at(pos, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
  }

  private String fourCc(long pos) throws IOException {
    ByteBuffer b = at(pos, 4);
    return new String(new byte[] {b.get(), b.get(), b.get(), b.get()}, StandardCharsets.ISO_8859_1);
  }
}
