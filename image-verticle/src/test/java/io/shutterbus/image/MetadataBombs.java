package io.shutterbus.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Small image files whose metadata is built to exhaust a reader that inflates or copies it without
 * a limit. Generated, never committed: a few hundred KiB to 20 MiB each.
 */
public final class MetadataBombs {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private MetadataBombs() {
  }

  /** A 16 x 16 PNG with a zTXt chunk that inflates to {@code inflatedBytes} zeros. */
  public static byte[] pngWithZtxt(long inflatedBytes) {
    return pngWith("zTXt", TestImages.concat(latin1("Comment\0"), new byte[] {0}, deflatedZeros(inflatedBytes)));
  }

  /** A 16 x 16 PNG with a compressed iTXt chunk that inflates to {@code inflatedBytes} zeros. */
  public static byte[] pngWithItxt(long inflatedBytes) {
    return pngWith("iTXt", TestImages.concat(latin1("Comment\0"), new byte[] {1, 0}, latin1("en\0\0"),
        deflatedZeros(inflatedBytes)));
  }

  /** A 16 x 16 PNG with an iCCP profile that inflates to {@code inflatedBytes} zeros. */
  public static byte[] pngWithIccp(long inflatedBytes) {
    return pngWith("iCCP", TestImages.concat(latin1("bomb\0"), new byte[] {0}, deflatedZeros(inflatedBytes)));
  }

  /**
   * A 16 x 16 JPEG preceded by a chain of APP1 "Exif" segments (about {@code totalBytes} in all),
   * each a TIFF block whose IFD has thousands of entries all pointing at the whole block: a reader
   * that copies every tag value keeps entries x 64 KiB per segment.
   */
  public static byte[] jpegWithAppChain(int totalBytes) {
    byte[] segment = app(0xE1, TestImages.concat(latin1("Exif\0\0"), amplifyingTiff(65_000)));
    int count = Math.max(1, totalBytes / segment.length);
    byte[][] parts = new byte[count][];
    Arrays.fill(parts, segment);
    return withSegments(TestImages.concat(parts));
  }

  /**
   * A 16 x 16 JPEG carrying an ICC profile in one APP2 segment whose tag table lists thousands of
   * tags, each the whole profile: a reader that copies every tag keeps tags x profile size.
   */
  public static byte[] jpegWithIccBomb() {
    int size = 65_000;
    int tags = (size - 132) / 12;
    ByteBuffer icc = ByteBuffer.allocate(size);
    icc.putInt(0, size);
    icc.put(36, latin1("acsp"));
    icc.putInt(128, tags);
    for (int i = 0; i < tags; i++) {
      icc.putInt(132 + 12 * i, 0x41000000 + i).putInt(136 + 12 * i, 0).putInt(140 + 12 * i, size);
    }
    byte[] payload = TestImages.concat(latin1("ICC_PROFILE\0"), new byte[] {1, 1}, icc.array());
    return withSegments(app(0xE2, payload));
  }

  private static byte[] amplifyingTiff(int size) {
    int entries = (size - 8 - 2 - 4) / 12;
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    b.putShort((short) entries);
    for (int i = 0; i < entries; i++) {
      b.putShort((short) (0x1000 + i)).putShort((short) 7).putInt(size - 16).putInt(8);  // UNDEFINED bytes
    }
    return b.array();
  }

  private static byte[] app(int marker, byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).put((byte) 0xFF).put((byte) marker)
        .putShort((short) (2 + payload.length)).put(payload).array();
  }

  private static byte[] withSegments(byte[] segments) {
    byte[] jpeg = TestImages.jpeg(16, 16);
    return TestImages.concat(Arrays.copyOf(jpeg, 2), segments, Arrays.copyOfRange(jpeg, 2, jpeg.length));
  }

  private static byte[] pngWith(String type, byte[] data) {
    byte[] png = TestImages.png(16, 16);
    int afterIhdr = 8 + 12 + 13;
    return TestImages.concat(Arrays.copyOf(png, afterIhdr), TestImages.chunk(type, data),
        Arrays.copyOfRange(png, afterIhdr, png.length));
  }

  /** {@code n} zeros deflated (about n / 1000 bytes), made in 1 MiB steps so memory stays small. */
  static byte[] deflatedZeros(long n) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    byte[] zeros = new byte[1 << 20];
    byte[] out = new byte[64 * 1024];
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    for (long left = n; left > 0; left -= zeros.length) {
      deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
      while (!deflater.needsInput()) {
        result.write(out, 0, deflater.deflate(out));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      result.write(out, 0, deflater.deflate(out));
    }
    deflater.end();
    return result.toByteArray();
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
