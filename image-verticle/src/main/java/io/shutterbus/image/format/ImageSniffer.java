package io.shutterbus.image.format;

import io.shutterbus.image.format.RejectedImageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Decides what an upload is from its bytes alone, before anything decodes it: the format by its
 * magic bytes (PNG, JPEG, GIF, WebP; whatever the file name or Content-Type claim), and the width
 * and height its header declares, checked against the pixel budget. A 1 KB file that declares
 * 50000 x 50000 pixels is refused here, before a decoder could allocate 10 GB for it.
 *
 * <p>Works on the first bytes of a stream ({@link #sniff(byte[], int, boolean)}: it says when it
 * needs more) or on a whole file ({@link #sniff(Path)}: it reads only the header bytes it needs,
 * skipping over large JPEG segments). Pure Java, no decoding, thread-safe.
 */
public final class ImageSniffer {
  /** Bytes that decide the format (RIFF....WEBP is the longest signature). */
  public static final int SIGNATURE_BYTES = 12;
  /**
   * How much of a stream's head is worth keeping in memory for sniffing. A JPEG whose frame header
   * comes later (big EXIF/ICC segments) is sniffed from the file once it is complete.
   */
  public static final int HEAD_WINDOW = 64 * 1024;

  private static final int ANY = -1;
  private static final List<Signature> SIGNATURES = List.of(
      new Signature(ImageFormat.PNG, new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
      new Signature(ImageFormat.JPEG, new int[] {0xFF, 0xD8, 0xFF}),
      new Signature(ImageFormat.GIF, new int[] {'G', 'I', 'F', '8', '7', 'a'}),
      new Signature(ImageFormat.GIF, new int[] {'G', 'I', 'F', '8', '9', 'a'}),
      new Signature(ImageFormat.WEBP, new int[] {'R', 'I', 'F', 'F', ANY, ANY, ANY, ANY, 'W', 'E', 'B', 'P'}));
  /** Markup a browser would render or run; long enough not to turn up by chance in compressed data. */
  private static final List<String> MARKUP = List.of(
      "<script", "<html", "<!doctype html", "<iframe", "<?php", "<body", "<svg ", "<svg>", "<svg\n", "<svg\t");

  private final long maxPixels;

  public ImageSniffer(long maxPixels) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be positive");
    }
    this.maxPixels = maxPixels;
  }

  public long maxPixels() {
    return maxPixels;
  }

  /**
   * The format by magic bytes alone, to refuse a non-image as soon as its first bytes arrive.
   *
   * @param complete whether {@code head} holds the whole file
   * @return the format, or empty when {@code head} is too short to tell yet (never when complete)
   * @throws RejectedImageException {@link Reason#UNSUPPORTED_TYPE} or {@link Reason#EMPTY}
   */
  public Optional<ImageFormat> signature(byte[] head, int length, boolean complete) throws RejectedImageException {
    if (length == 0 && complete) {
      throw new RejectedImageException(Reason.EMPTY, "The uploaded file is empty.");
    }
    boolean possible = false;
    for (Signature sig : SIGNATURES) {
      int matched = sig.matchedPrefix(head, length);
      if (matched == sig.bytes.length) {
        return Optional.of(sig.format);
      }
      possible |= matched == length;
    }
    if (possible && !complete) {
      return Optional.empty();
    }
    throw new RejectedImageException(Reason.UNSUPPORTED_TYPE,
        "Only PNG, JPEG, GIF and WebP images are accepted; this file looks like " + describe(head, length) + ".");
  }

  /**
   * Format and declared size from the first bytes of a stream, checked against the budget and for
   * markup hidden in the header (a polyglot).
   *
   * @param complete whether {@code head} holds the whole file (then a short header is an error)
   * @return the header, or empty when more bytes are needed (never when complete)
   */
  public Optional<ImageHeader> sniff(byte[] head, int length, boolean complete) throws RejectedImageException {
    Optional<ImageFormat> format = signature(head, length, complete);
    if (format.isEmpty()) {
      return Optional.empty();
    }
    try {
      ImageHeader header = parse(format.get(), new ArraySource(head, length, complete));
      rejectMarkup(head, length);
      return Optional.of(checkBudget(header));
    } catch (NeedMoreBytes e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory source cannot fail", e);
    }
  }

  /** The header of a complete file held in memory. */
  public ImageHeader sniff(byte[] whole) throws RejectedImageException {
    return sniff(whole, whole.length, true).orElseThrow();
  }

  /** The header of a complete file on disk. Blocking: run it off the event loop. */
  public ImageHeader sniff(Path file) throws RejectedImageException, IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEAD_WINDOW));
      while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
        // positional reads until the head window is full
      }
      byte[] bytes = head.array();
      ImageFormat format = signature(bytes, head.position(), true).orElseThrow();
      ImageHeader header = parse(format, new FileSource(channel, size));
      rejectMarkup(bytes, head.position());
      return checkBudget(header);
    } catch (NeedMoreBytes e) {
      throw new IllegalStateException("a file source never needs more bytes", e);
    }
  }

  private ImageHeader checkBudget(ImageHeader header) throws RejectedImageException {
    String name = name(header.format());
    if (header.width() <= 0 || header.height() <= 0) {
      throw new RejectedImageException(Reason.MALFORMED_HEADER,
          "The " + name + " header declares an empty image (" + header.width() + " x " + header.height() + ").");
    }
    if (header.pixels() > maxPixels) {
      throw new RejectedImageException(Reason.TOO_MANY_PIXELS,
          "The image is " + header.width() + " x " + header.height() + " pixels (" + header.pixels()
              + "); at most " + maxPixels + " pixels are accepted.");
    }
    return header;
  }

  private static void rejectMarkup(byte[] head, int length) throws RejectedImageException {
    String ascii = new String(head, 0, length, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    for (String token : MARKUP) {
      if (ascii.contains(token)) {
        throw new RejectedImageException(Reason.UNSUPPORTED_TYPE,
            "The file starts like an image but carries web markup (" + token.trim()
                + "...); such polyglot files are not accepted.");
      }
    }
  }

  private static ImageHeader parse(ImageFormat format, Source s) throws RejectedImageException, IOException {
    try {
      return switch (format) {
        case PNG -> png(s);
        case GIF -> gif(s);
        case JPEG -> jpeg(s);
        case WEBP -> webp(s);
      };
    } catch (EndOfInput e) {
      throw new RejectedImageException(Reason.MALFORMED_HEADER, "The " + name(format)
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

  private static String name(ImageFormat format) {
    return format == ImageFormat.WEBP ? "WebP" : format.name();
  }

  /** A few words on what a refused file seems to be, so the 415 tells the user something useful. */
  static String describe(byte[] head, int length) {
    int n = Math.min(length, 1024);
    String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith("\u00ef\u00bb\u00bf")) {
      lower = lower.substring(3).strip();
    }
    if (lower.contains("<svg")) {
      return "an SVG image (SVG can carry scripts and is not accepted)";
    }
    if (lower.startsWith("<!doctype html") || lower.contains("<html")) {
      return "an HTML page";
    }
    if (lower.startsWith("<?xml")) {
      return "an XML document";
    }
    if (lower.startsWith("%pdf")) {
      return "a PDF document";
    }
    if (text.startsWith("BM")) {
      return "a BMP image";
    }
    if (text.startsWith("II*\0") || text.startsWith("MM\0*")) {
      return "a TIFF image";
    }
    if (n >= 12 && text.startsWith("ftyp", 4)) {
      return "an HEIC/AVIF or video file";
    }
    if (text.startsWith("RIFF")) {
      return "a RIFF file that is not WebP (audio or video?)";
    }
    int printable = 0;
    for (int i = 0; i < n; i++) {
      int c = head[i] & 0xFF;
      if (c >= 0x20 && c != 0x7F || c == '\n' || c == '\r' || c == '\t') {
        printable++;
      }
    }
    return n > 0 && printable == n ? "plain text" : "an unknown binary format";
  }

  private record Signature(ImageFormat format, int[] bytes) {
    /** How many leading bytes of {@code head} agree with this signature (up to its length). */
    int matchedPrefix(byte[] head, int length) {
      int n = Math.min(length, bytes.length);
      for (int i = 0; i < n; i++) {
        if (bytes[i] != ANY && bytes[i] != (head[i] & 0xFF)) {
          return i;
        }
      }
      return n;
    }
  }

  /** Random access to header bytes; past the end it throws instead of returning a sentinel. */
  private abstract static class Source {
    /** The byte at {@code pos}; {@link EndOfInput} past the end, {@link NeedMoreBytes} when not there yet. */
    abstract int u8(long pos) throws IOException;

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
  private static final class NeedMoreBytes extends RuntimeException {
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
