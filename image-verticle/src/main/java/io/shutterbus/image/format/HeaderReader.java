package io.shutterbus.image.format;

import io.shutterbus.image.format.RejectedImageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * Reads the declared width and height from the header of each format, touching only header bytes:
 * PNG IHDR, GIF logical screen and first image descriptor, JPEG frame header (SOFn, found by
 * skipping segments by their lengths), WebP VP8/VP8L/VP8X. Works over bytes in memory or a file.
 */
final class HeaderReader {
  private HeaderReader() {
  }

  static ImageHeader read(ImageFormat format, Source s) throws RejectedImageException, IOException {
    try {
      return switch (format) {
        case PNG -> png(s);
        case GIF -> gif(s);
        case JPEG -> jpeg(s);
        case WEBP -> webp(s);
      };
    } catch (EndOfInput e) {
      throw new RejectedImageException(Reason.MALFORMED_HEADER, "The " + ImageSniffer.name(format)
          + " file is truncated: it ends before its header says how large the image is.");
    }
  }

  private static ImageHeader png(Source s) throws IOException, RejectedImageException {
    long length = s.u32be(8);
    boolean ihdr = s.u8(12) == 'I' && s.u8(13) == 'H' && s.u8(14) == 'D' && s.u8(15) == 'R';
    if (length != 13 || !ihdr) {
      throw malformed("PNG", "its first chunk is not a valid IHDR");
    }
    CRC32 crc = new CRC32();
    for (int i = 12; i < 12 + 4 + 13; i++) {
      crc.update(s.u8(i));
    }
    if (crc.getValue() != s.u32be(29)) {
      throw malformed("PNG", "the IHDR checksum does not match");
    }
    long width = s.u32be(16);
    long height = s.u32be(20);
    if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw malformed("PNG", "its width or height is out of range");
    }
    return new ImageHeader(ImageFormat.PNG, (int) width, (int) height);
  }

  private static ImageHeader gif(Source s) throws IOException, RejectedImageException {
    int screenWidth = s.u16le(6);
    int screenHeight = s.u16le(8);
    int flags = s.u8(10);
    long pos = 13;
    if ((flags & 0x80) != 0) {
      pos += 3L * (1 << ((flags & 0x07) + 1));
    }
    while (true) {
      int block = s.u8(pos);
      if (block == 0x2C) {
        int left = s.u16le(pos + 1);
        int top = s.u16le(pos + 3);
        int width = s.u16le(pos + 5);
        int height = s.u16le(pos + 7);
        if (width == 0 || height == 0) {
          throw malformed("GIF", "its first frame is empty (" + width + " x " + height + ")");
        }
        return new ImageHeader(ImageFormat.GIF, Math.max(screenWidth, left + width), Math.max(screenHeight, top + height));
      } else if (block == 0x21) {
        pos += 2;
        int size;
        while ((size = s.u8(pos)) != 0) {
          pos += size + 1;
        }
        pos++;
      } else if (block == 0x3B) {
        throw malformed("GIF", "it ends before its first image");
      } else {
        throw malformed("GIF", "an unknown block (0x" + Integer.toHexString(block) + ") comes before the first image");
      }
    }
  }

  private static ImageHeader jpeg(Source s) throws IOException, RejectedImageException {
    long pos = 2;
    while (true) {
      if (s.u8(pos) != 0xFF) {
        throw malformed("JPEG", "a segment does not start with a marker at byte " + pos);
      }
      while (s.u8(pos) == 0xFF) {
        pos++;  // fill bytes
      }
      int marker = s.u8(pos++);
      if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue;  // markers without a length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw malformed("JPEG", "its image data begins before any frame header (SOF)");
      }
      int length = s.u16be(pos);
      if (length < 2) {
        throw malformed("JPEG", "a segment has an impossible length");
      }
      boolean frameHeader = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (frameHeader) {
        if (length < 8) {
          throw malformed("JPEG", "its frame header is too short");
        }
        int height = s.u16be(pos + 3);
        int width = s.u16be(pos + 5);
        return new ImageHeader(ImageFormat.JPEG, width, height);
      }
      pos += length;
    }
  }

  private static ImageHeader webp(Source s) throws IOException, RejectedImageException {
    String chunk = "" + (char) s.u8(12) + (char) s.u8(13) + (char) s.u8(14) + (char) s.u8(15);
    switch (chunk) {
      case "VP8 " -> {
        boolean keyFrame = (s.u8(20) & 0x01) == 0;
        boolean startCode = s.u8(23) == 0x9D && s.u8(24) == 0x01 && s.u8(25) == 0x2A;
        if (!keyFrame || !startCode) {
          throw malformed("WebP", "its VP8 frame header is invalid");
        }
        return new ImageHeader(ImageFormat.WEBP, s.u16le(26) & 0x3FFF, s.u16le(28) & 0x3FFF);
      }
      case "VP8L" -> {
        if (s.u8(20) != 0x2F) {
          throw malformed("WebP", "its lossless (VP8L) signature is invalid");
        }
        long bits = s.u32le(21);
        return new ImageHeader(ImageFormat.WEBP, (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1);
      }
      case "VP8X" -> {
        return new ImageHeader(ImageFormat.WEBP, s.u24le(24) + 1, s.u24le(27) + 1);
      }
      default -> throw malformed("WebP", "its first chunk is neither VP8, VP8L nor VP8X");
    }
  }

  private static RejectedImageException malformed(String format, String why) {
    return new RejectedImageException(Reason.MALFORMED_HEADER, "The " + format + " header is malformed: " + why + ".");
  }


  /** Random access to header bytes; past the end it throws instead of returning a sentinel. */
  abstract static class Source {
    /** The byte at {@code pos}; {@link EndOfInput} past the end, {@link NeedMoreBytes} when not there yet. */
    abstract int u8(long pos) throws IOException;

    static Source of(byte[] bytes, int length, boolean complete) {
      return new ArraySource(bytes, length, complete);
    }

    static Source of(FileChannel channel, long size) {
      return new FileSource(channel, size);
    }

    final int u16be(long pos) throws IOException {
      return u8(pos) << 8 | u8(pos + 1);
    }

    final int u16le(long pos) throws IOException {
      return u8(pos) | u8(pos + 1) << 8;
    }

    final int u24le(long pos) throws IOException {
      return u8(pos) | u8(pos + 1) << 8 | u8(pos + 2) << 16;
    }

    final long u32be(long pos) throws IOException {
      return (long) u16be(pos) << 16 | u16be(pos + 2);
    }

    final long u32le(long pos) throws IOException {
      return u16le(pos) | (long) u16le(pos + 2) << 16;
    }
  }

  private static final class ArraySource extends Source {
    private final byte[] bytes;
    private final int length;
    private final boolean complete;

    ArraySource(byte[] bytes, int length, boolean complete) {
      this.bytes = bytes;
      this.length = length;
      this.complete = complete;
    }

    @Override
    int u8(long pos) {
      if (pos < length) {
        return bytes[(int) pos] & 0xFF;
      }
      throw complete ? EndOfInput.INSTANCE : NeedMoreBytes.INSTANCE;
    }
  }

  private static final class FileSource extends Source {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(8192);
    private long windowStart = -1;

    FileSource(FileChannel channel, long size) {
      this.channel = channel;
      this.size = size;
    }

    @Override
    int u8(long pos) throws IOException {
      if (pos >= size) {
        throw EndOfInput.INSTANCE;
      }
      if (windowStart < 0 || pos < windowStart || pos >= windowStart + window.limit()) {
        window.clear();
        windowStart = pos;
        while (window.hasRemaining() && channel.read(window, windowStart + window.position()) > 0) {
          // fill the window from pos on
        }
        window.flip();
        if (window.limit() == 0) {
          throw EndOfInput.INSTANCE;
        }
      }
      return window.get((int) (pos - windowStart)) & 0xFF;
    }
  }

  /** The bytes so far end inside the header; the caller should come back with more. */
  static final class NeedMoreBytes extends RuntimeException {
    static final NeedMoreBytes INSTANCE = new NeedMoreBytes();

    private NeedMoreBytes() {
      super("need more bytes", null, false, false);
    }
  }

  /** The whole input ends inside the header. */
  private static final class EndOfInput extends RuntimeException {
    static final EndOfInput INSTANCE = new EndOfInput();

    private EndOfInput() {
      super("end of input", null, false, false);
    }
  }
}
