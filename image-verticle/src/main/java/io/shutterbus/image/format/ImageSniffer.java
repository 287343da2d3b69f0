package io.shutterbus.image.format;

import io.shutterbus.image.format.RejectedImageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
      ImageHeader header = HeaderReader.read(format.get(), HeaderReader.Source.of(head, length, complete));
      rejectMarkup(head, length);
      return Optional.of(checkBudget(header));
    } catch (HeaderReader.NeedMoreBytes e) {
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
      ImageHeader header = HeaderReader.read(format, HeaderReader.Source.of(channel, size));
      rejectMarkup(bytes, head.position());
      return checkBudget(header);
    } catch (HeaderReader.NeedMoreBytes e) {
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
    // Every token starts with '<', a rare byte in image data: find those first, then compare there
    // (ASCII case-insensitively, as the tokens are lower-case ASCII), tokens in their listed order.
    // No copy of the window: this runs on every upload and again in the worker.
    int[] opens = new int[16];
    int count = 0;
    for (int i = 0; i < length; i++) {
      if (head[i] == '<') {
        if (count == opens.length) {
          opens = Arrays.copyOf(opens, count * 2);
        }
        opens[count++] = i;
      }
    }
    for (String token : MARKUP) {
      for (int k = 0; k < count; k++) {
        if (startsWithIgnoringAsciiCase(head, length, opens[k], token)) {
          throw new RejectedImageException(Reason.UNSUPPORTED_TYPE,
              "The file starts like an image but carries web markup (" + token.trim()
                  + "...); such polyglot files are not accepted.");
        }
      }
    }
  }

  private static boolean startsWithIgnoringAsciiCase(byte[] bytes, int length, int at, String lowerToken) {
    if (at + lowerToken.length() > length) {
      return false;
    }
    for (int j = 0; j < lowerToken.length(); j++) {
      int b = bytes[at + j] & 0xFF;
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lowerToken.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  static String name(ImageFormat format) {
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

}
