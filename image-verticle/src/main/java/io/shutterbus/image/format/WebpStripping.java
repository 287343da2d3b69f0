package io.shutterbus.image.format;

import static io.shutterbus.image.format.MetadataStripper.MAX_STEPS;
import static io.shutterbus.image.format.MetadataStripper.orientationTiff;

import io.shutterbus.image.format.StripStreams.CountingOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** WebP: RIFF chunks from an allow-list (image, alpha, animation, ICC), the VP8X flags and the RIFF size made to match. */
final class WebpStripping {
  private static final Set<String> KEPT = Set.of("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP");
  private static final int FLAG_EXIF = 0x08;
  private static final int FLAG_XMP = 0x04;

  private WebpStripping() {
  }

  private record Chunk(long offset, long length, String type) {
  }

  static void strip(FileChannel in, CountingOutput out, int orientation) throws IOException {
    long size = in.size();
    byte[] riff = StripStreams.read(in, 0, 12);
    if (riff == null) {
      return;
    }
    List<Chunk> kept = new ArrayList<>();
    boolean extended = false;
    long pos = 12;
    for (int step = 0; step < MAX_STEPS && pos + 8 <= size; step++) {
      byte[] head = StripStreams.read(in, pos, 8);
      String type = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
      long length = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      long padded = length + (length & 1);
      if (pos + 8 + length > size) {
        break;  // a cut chunk ends the file
      }
      if (KEPT.contains(type)) {
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
      byte[] bytes = StripStreams.read(in, c.offset, (int) Math.min(c.length, 8 + 10));
      if (c.type.equals("VP8X") && bytes.length > 8) {
        bytes[8] = (byte) ((bytes[8] & ~(FLAG_EXIF | FLAG_XMP)) | (exif != null ? FLAG_EXIF : 0));
        out.write(bytes);
        StripStreams.copy(in, c.offset + bytes.length, c.length - bytes.length, out);
      } else {
        StripStreams.copy(in, c.offset, c.length, out);
      }
    }
    if (exif != null) {
      out.write("EXIF".getBytes(StandardCharsets.ISO_8859_1));
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(exif.length).array());
      out.write(exif);  // 26 bytes: even, no padding
    }
  }
}
