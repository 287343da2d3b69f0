package io.shutterbus.image.format;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

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
  private static final byte[] EXIF_PREAMBLE = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final Set<String> PNG_KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM",
      "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT");
  private static final Set<String> WEBP_KEPT = Set.of("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP");
  private static final int WEBP_FLAG_EXIF = 0x08;
  private static final int WEBP_FLAG_XMP = 0x04;
  private static final int MAX_STEPS = 1 << 20;

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
        case JPEG -> jpeg(input, out, kept);
        case PNG -> png(input, out, kept);
        case WEBP -> webp(in, out, kept);
        case GIF -> gif(input, out);
      }
      out.flush();
      return new Stripped(out.count, HexFormat.of().formatHex(digest.digest()));
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

  // ---- JPEG: markers and segments; entropy-coded data copied as it is; nothing after EOI ----

  private static void jpeg(Input in, CountingOutput out, int orientation) throws IOException {
    if (in.read() != 0xFF || in.read() != 0xD8) {
      return;
    }
    out.write(0xFF);
    out.write(0xD8);
    boolean exifWritten = orientation == 1;
    int pending = -1;  // a marker met at the end of a scan
    for (int step = 0; step < MAX_STEPS; step++) {
      int marker = pending;
      pending = -1;
      if (marker < 0) {
        if (in.read() != 0xFF) {
          return;  // not a marker where one must be: the structure ends here
        }
        marker = in.read();
        while (marker == 0xFF) {
          marker = in.read();  // fill bytes
        }
        if (marker < 0) {
          return;
        }
      }
      if (marker == 0xD9) {
        out.write(0xFF);
        out.write(0xD9);
        return;  // end of image: trailers (MPF previews, appended data) are dropped
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        out.write(0xFF);
        out.write(marker);
        continue;
      }
      int length = in.u16be();
      if (length < 2) {
        return;
      }
      byte[] payload = in.readFully(length - 2);
      if (payload == null) {
        return;
      }
      if (!exifWritten && marker != 0xE0) {
        writeJpegSegment(out, 0xE1, concat(EXIF_PREAMBLE, orientationTiff(orientation)));
        exifWritten = true;
      }
      if (keepJpegSegment(marker, payload)) {
        writeJpegSegment(out, marker, payload);
      }
      if (marker == 0xDA) {
        pending = copyScan(in, out);
        if (pending < 0) {
          return;
        }
      }
    }
  }

  /** Tables, frames, scans and restart intervals stay; of the APPn only JFIF, ICC profiles and Adobe. */
  private static boolean keepJpegSegment(int marker, byte[] payload) {
    if (marker == 0xFE) {
      return false;  // COM
    }
    if (marker >= 0xE0 && marker <= 0xEF) {
      return switch (marker) {
        case 0xE0 -> startsWith(payload, "JFIF\0");
        case 0xE2 -> startsWith(payload, "ICC_PROFILE\0");
        case 0xEE -> startsWith(payload, "Adobe");
        default -> false;
      };
    }
    return true;
  }

  /** Copies entropy-coded data up to the next marker; answers that marker, or -1 at the end of the file. */
  private static int copyScan(Input in, CountingOutput out) throws IOException {
    while (true) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      if (b != 0xFF) {
        out.write(b);
        continue;
      }
      int next = in.read();
      while (next == 0xFF) {
        next = in.read();
      }
      if (next < 0) {
        return -1;
      }
      if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
        out.write(0xFF);
        out.write(next);
        continue;
      }
      return next;
    }
  }

  private static void writeJpegSegment(CountingOutput out, int marker, byte[] payload) throws IOException {
    out.write(0xFF);
    out.write(marker);
    out.write((payload.length + 2) >>> 8);
    out.write((payload.length + 2) & 0xFF);
    out.write(payload);
  }

  // ---- PNG: an allow-list of chunks, copied with their CRCs; nothing after IEND ----

  private static void png(Input in, CountingOutput out, int orientation) throws IOException {
    byte[] signature = in.readFully(8);
    if (signature == null) {
      return;
    }
    out.write(signature);
    for (int step = 0; step < MAX_STEPS; step++) {
      byte[] head = in.readFully(8);
      if (head == null) {
        return;
      }
      long length = ByteBuffer.wrap(head).getInt() & 0xFFFFFFFFL;
      String type = new String(head, 4, 4, StandardCharsets.ISO_8859_1);
      if (length > Integer.MAX_VALUE) {
        return;
      }
      if (PNG_KEPT.contains(type)) {
        out.write(head);
        if (!in.copy(length + 4, out)) {
          return;
        }
      } else if (!in.skip(length + 4)) {
        return;
      }
      if (type.equals("IHDR") && orientation != 1) {
        writePngChunk(out, "eXIf", orientationTiff(orientation));
      }
      if (type.equals("IEND")) {
        return;
      }
    }
  }

  private static void writePngChunk(CountingOutput out, String type, byte[] data) throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(typeBytes);
    out.write(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  // ---- WebP: RIFF chunks from an allow-list, VP8X flags and the RIFF size made to match ----

  private record Chunk(long offset, long length, String type) {
  }

  private static void webp(FileChannel in, CountingOutput out, int orientation) throws IOException {
    long size = in.size();
    byte[] riff = read(in, 0, 12);
    if (riff == null) {
      return;
    }
    List<Chunk> kept = new ArrayList<>();
    boolean extended = false;
    long pos = 12;
    for (int step = 0; step < MAX_STEPS && pos + 8 <= size; step++) {
      byte[] head = read(in, pos, 8);
      String type = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
      long length = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      long padded = length + (length & 1);
      if (pos + 8 + length > size) {
        break;  // a cut chunk ends the file
      }
      if (WEBP_KEPT.contains(type)) {
        kept.add(new Chunk(pos, 8 + Math.min(padded, size - pos - 8), type));
        extended |= type.equals("VP8X");
      }
      pos += 8 + padded;
    }
    byte[] exif = extended && orientation != 1 ? orientationTiff(orientation) : null;
    long body = 4;
    for (Chunk c : kept) {
      body += c.length;
    }
    if (exif != null) {
      body += 8 + exif.length;
    }
    out.write(riff, 0, 4);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) body).array());
    out.write(riff, 8, 4);
    for (Chunk c : kept) {
      byte[] bytes = read(in, c.offset, (int) Math.min(c.length, 8 + 10));
      if (c.type.equals("VP8X") && bytes.length > 8) {
        bytes[8] = (byte) ((bytes[8] & ~(WEBP_FLAG_EXIF | WEBP_FLAG_XMP)) | (exif != null ? WEBP_FLAG_EXIF : 0));
        out.write(bytes);
        copy(in, c.offset + bytes.length, c.length - bytes.length, out);
      } else {
        copy(in, c.offset, c.length, out);
      }
    }
    if (exif != null) {
      out.write("EXIF".getBytes(StandardCharsets.ISO_8859_1));
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(exif.length).array());
      out.write(exif);  // 26 bytes: even, no padding
    }
  }

  // ---- GIF: header, colour tables and image blocks; no comments, no application data but looping ----

  private static void gif(Input in, CountingOutput out) throws IOException {
    byte[] header = in.readFully(13);
    if (header == null) {
      return;
    }
    out.write(header);
    int packed = header[10] & 0xFF;
    if ((packed & 0x80) != 0 && !in.copy(3L * (1 << ((packed & 0x07) + 1)), out)) {
      return;
    }
    for (int step = 0; step < MAX_STEPS; step++) {
      int introducer = in.read();
      if (introducer == 0x3B) {
        out.write(0x3B);
        return;  // trailer: anything after it is dropped
      }
      if (introducer == 0x2C) {
        byte[] descriptor = in.readFully(9);
        if (descriptor == null) {
          return;
        }
        out.write(0x2C);
        out.write(descriptor);
        int local = descriptor[8] & 0xFF;
        if ((local & 0x80) != 0 && !in.copy(3L * (1 << ((local & 0x07) + 1)), out)) {
          return;
        }
        int minCodeSize = in.read();
        if (minCodeSize < 0) {
          return;
        }
        out.write(minCodeSize);
        if (!subBlocks(in, out)) {
          return;
        }
      } else if (introducer == 0x21) {
        int label = in.read();
        if (label < 0) {
          return;
        }
        boolean keep = label == 0xF9 || label == 0x01;  // graphic control, plain text
        byte[] first = null;
        if (label == 0xFF) {
          first = subBlock(in);
          if (first == null) {
            return;
          }
          keep = startsWith(first, "NETSCAPE2.0") || startsWith(first, "ANIMEXTS1.0");
        }
        if (keep) {
          out.write(0x21);
          out.write(label);
          if (first != null) {
            out.write(first.length);
            out.write(first);
          }
        }
        if (!(keep ? subBlocks(in, out) : subBlocks(in, null))) {
          return;
        }
      } else {
        return;
      }
    }
  }

  private static byte[] subBlock(Input in) throws IOException {
    int n = in.read();
    return n < 0 ? null : in.readFully(n);
  }

  /** Copies (or with a null {@code out} skips) data sub-blocks up to and with their terminator. */
  private static boolean subBlocks(Input in, CountingOutput out) throws IOException {
    for (int step = 0; step < MAX_STEPS * 16; step++) {
      int n = in.read();
      if (n < 0) {
        return false;
      }
      if (out != null) {
        out.write(n);
      }
      if (n == 0) {
        return true;
      }
      if (out != null ? !in.copy(n, out) : !in.skip(n)) {
        return false;
      }
    }
    return false;
  }

  // ---- plumbing ----

  private static boolean startsWith(byte[] data, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
    return data.length >= p.length && Arrays.equals(data, 0, p.length, p, 0, p.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] read(FileChannel in, long pos, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (in.read(buf, pos + buf.position()) < 0) {
        return null;
      }
    }
    return buf.array();
  }

  private static void copy(FileChannel in, long from, long length, OutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long done = 0;
    while (done < length) {
      buf.clear().limit((int) Math.min(buf.capacity(), length - done));
      int n = in.read(buf, from + done);
      if (n < 0) {
        return;
      }
      out.write(buf.array(), 0, n);
      done += n;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** Sequential reads through a 64 KiB buffer; -1 / null / false at the end of the file. */
  private static final class Input {
    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();

    Input(FileChannel channel) {
      this.channel = channel;
    }

    private boolean fill() throws IOException {
      buf.compact();
      int n = channel.read(buf);
      buf.flip();
      return n > 0 || buf.hasRemaining();
    }

    int read() throws IOException {
      if (!buf.hasRemaining() && !fill()) {
        return -1;
      }
      return buf.get() & 0xFF;
    }

    int u16be() throws IOException {
      int hi = read();
      int lo = read();
      return hi < 0 || lo < 0 ? -1 : (hi << 8) | lo;
    }

    byte[] readFully(int n) throws IOException {
      byte[] data = new byte[n];
      int done = 0;
      while (done < n) {
        if (!buf.hasRemaining() && !fill()) {
          return null;
        }
        int k = Math.min(n - done, buf.remaining());
        buf.get(data, done, k);
        done += k;
      }
      return data;
    }

    boolean copy(long n, OutputStream out) throws IOException {
      return transfer(n, out);
    }

    boolean skip(long n) throws IOException {
      return transfer(n, null);
    }

    private boolean transfer(long n, OutputStream out) throws IOException {
      long left = n;
      while (left > 0) {
        if (!buf.hasRemaining() && !fill()) {
          return false;
        }
        int k = (int) Math.min(left, buf.remaining());
        if (out != null) {
          out.write(buf.array(), buf.arrayOffset() + buf.position(), k);
        }
        buf.position(buf.position() + k);
        left -= k;
      }
      return true;
    }
  }

  /** Buffered, counting; the digest sits below it. */
  private static final class CountingOutput extends OutputStream {
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int used;
    private long count;

    CountingOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (used == buf.length) {
        flushBuffer();
      }
      buf[used++] = (byte) b;
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > buf.length - used) {
        flushBuffer();
      }
      if (len >= buf.length) {
        out.write(b, off, len);
      } else {
        System.arraycopy(b, off, buf, used, len);
        used += len;
      }
      count += len;
    }

    private void flushBuffer() throws IOException {
      if (used > 0) {
        out.write(buf, 0, used);
        used = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      flushBuffer();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
      out.close();
    }
  }
}
