package io.shutterbus.image.format;

import static io.shutterbus.image.format.MetadataStripper.MAX_STEPS;
import static io.shutterbus.image.format.MetadataStripper.orientationTiff;

import io.shutterbus.image.format.StripStreams.CountingOutput;
import io.shutterbus.image.format.StripStreams.Input;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32;

/** PNG: an allow-list of chunks (critical, colour, APNG), copied with their CRCs; nothing after IEND. */
final class PngStripping {
  private static final Set<String> KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM",
      "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT");

  private PngStripping() {
  }

  static void strip(Input in, CountingOutput out, int orientation) throws IOException {
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
      if (KEPT.contains(type)) {
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
}
