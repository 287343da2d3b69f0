package io.shutterbus.image.format;

import static io.shutterbus.image.format.MetadataStripper.MAX_STEPS;
import static io.shutterbus.image.format.MetadataStripper.startsWith;

import io.shutterbus.image.format.StripStreams.CountingOutput;
import io.shutterbus.image.format.StripStreams.Input;
import java.io.IOException;

/** GIF: header, colour tables, frames, graphic controls and the looping extension; no comments, no other application data, nothing after the trailer. */
final class GifStripping {
  private GifStripping() {
  }

  static void strip(Input in, CountingOutput out) throws IOException {
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
}
