package io.shutterbus.image.format;

import io.shutterbus.image.format.StripStreams.CountingOutput;
import io.shutterbus.image.format.StripStreams.Input;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Copies an uploaded image without its metadata, by the container's structure and without
 * touching the coded pixels: what a camera or phone writes beside the picture (EXIF with GPS,
 * serial numbers and maker notes, XMP, IPTC, comments, text chunks, embedded previews, anything
 * after the end of the image) never reaches the store. What decoding needs stays: JPEG tables,
 * frames and scans, JFIF, the Adobe colour-transform segment and ICC profiles; PNG's critical,
 * colour and animation chunks; WebP's image, alpha, animation and ICC chunks; GIF's image blocks,
 * graphic controls and the looping extension. The only metadata written back is the EXIF
 * orientation (a 26-byte TIFF block with that one tag) when it is not the default, since the
 * picture would otherwise show sideways.
 *
 * <p>Bounded and streaming: one pass over the file in 64 KiB reads (WebP: a walk over its chunk
 * headers first, to know the new RIFF size), nothing inflated, at most one JPEG segment (64 KiB)
 * held. Blocking: run it on a worker thread. A file whose structure stops making sense is cut
 * there; the worker then fails it as undecodable, as it would the original.
 */
public final class MetadataStripper {
  static final byte[] EXIF_PREAMBLE = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  static final int MAX_STEPS = 1 << 20;

  private MetadataStripper() {
  }

  /** The stripped copy: its size and SHA-256 (the name it is stored under). */
  public record Stripped(long bytes, String sha256) {
  }

  /**
   * Writes {@code source} without metadata to {@code target} (created, must not exist), keeping
   * {@code orientation} (1-8; 1 writes no EXIF at all).
   */
  public static Stripped strip(Path source, Path target, ImageFormat format, int orientation) throws IOException {
    int kept = orientation >= 2 && orientation <= 8 ? orientation : 1;
    MessageDigest digest = sha256();
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
         CountingOutput out = new CountingOutput(new DigestOutputStream(
             Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), digest))) {
      Input input = new Input(in);
      switch (format) {
        case JPEG -> JpegStripping.strip(input, out, kept);
        case PNG -> PngStripping.strip(input, out, kept);
        case WEBP -> WebpStripping.strip(in, out, kept);
        case GIF -> GifStripping.strip(input, out);
      }
      out.flush();
      return new Stripped(out.count(), HexFormat.of().formatHex(digest.digest()));
    }
  }

  /** TIFF (big-endian) with IFD0 holding Orientation only. */
  static byte[] orientationTiff(int orientation) {
    return ByteBuffer.allocate(26).order(ByteOrder.BIG_ENDIAN)
        .put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8)
        .putShort((short) 1)
        .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
        .putInt(0)
        .array();
  }

  static boolean startsWith(byte[] data, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
    return data.length >= p.length && Arrays.equals(data, 0, p.length, p, 0, p.length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
