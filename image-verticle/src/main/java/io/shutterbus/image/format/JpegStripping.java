package io.shutterbus.image.format;

import static io.shutterbus.image.format.MetadataStripper.EXIF_PREAMBLE;
import static io.shutterbus.image.format.MetadataStripper.MAX_STEPS;
import static io.shutterbus.image.format.MetadataStripper.concat;
import static io.shutterbus.image.format.MetadataStripper.orientationTiff;
import static io.shutterbus.image.format.MetadataStripper.startsWith;

import io.shutterbus.image.format.StripStreams.CountingOutput;
import io.shutterbus.image.format.StripStreams.Input;
import java.io.IOException;

/** JPEG: markers and segments up to EOI; entropy-coded data copied as it is; of the APPn only JFIF, ICC profiles and Adobe; no COM, nothing after EOI. */
final class JpegStripping {
  private JpegStripping() {
  }

  static void strip(Input in, CountingOutput out, int orientation) throws IOException {
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
}
