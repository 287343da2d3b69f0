package io.shutterbus.image.render;

import io.shutterbus.image.format.ImageFormat;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few EXIF facts Shutterbus uses: orientation, camera make and model, and when the picture was
 * taken. EXIF is optional and often broken, so nothing here ever fails the image: a tag that cannot
 * be read is simply absent. Strings are cleaned (no control characters, at most 64 characters).
 *
 * <p>Bounded by construction: only the EXIF block is read ({@link ExifBlock}, at most 64 KiB), and
 * in it only IFD0 and the Exif IFD, only these four tags, at most {@value #MAX_ENTRIES} entries per
 * IFD. A general metadata library was used before and inflated every compressed chunk and ICC
 * profile it met without a limit: one small PNG could take the worker's whole heap.
 */
public record ExifFacts(int orientation, String make, String model, LocalDateTime takenAt) {
  public static final ExifFacts NONE = new ExifFacts(1, null, null, null);
  private static final Logger LOG = LoggerFactory.getLogger(ExifFacts.class);
  private static final DateTimeFormatter EXIF_DATE = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");
  private static final int MAX_TEXT = 64;
  private static final int MAX_ENTRIES = 512;
  private static final int TAG_MAKE = 0x010F;
  private static final int TAG_MODEL = 0x0110;
  private static final int TAG_ORIENTATION = 0x0112;
  private static final int TAG_EXIF_IFD = 0x8769;
  private static final int TAG_DATE_TIME_ORIGINAL = 0x9003;
  private static final int TYPE_ASCII = 2;
  private static final int TYPE_SHORT = 3;
  private static final int TYPE_LONG = 4;

  public static ExifFacts read(Path file, ImageFormat format) {
    try {
      byte[] tiff = ExifBlock.read(file, format);
      return tiff == null ? NONE : parse(tiff);
    } catch (IOException | RuntimeException e) {
      LOG.debug("no readable metadata in {}: {}", file.getFileName(), e.toString());
      return NONE;
    }
  }

  /**
   * What the owner is shown besides the pixels, {@code {camera?: {make?, model?}, takenAt?}}: kept
   * in the image's row at upload, since the stored file keeps only the orientation.
   */
  public JsonObject ownerFacts() {
    JsonObject json = new JsonObject();
    if (make != null || model != null) {
      JsonObject camera = new JsonObject();
      if (make != null) {
        camera.put("make", make);
      }
      if (model != null) {
        camera.put("model", model);
      }
      json.put("camera", camera);
    }
    if (takenAt != null) {
      json.put("takenAt", takenAt.toString());
    }
    return json;
  }

  /** The facts from a TIFF structure ("II*\0" or "MM\0*", then IFD0). */
  static ExifFacts parse(byte[] tiff) {
    if (tiff.length < 8) {
      return NONE;
    }
    ByteBuffer b = ByteBuffer.wrap(tiff);
    if (tiff[0] == 'I' && tiff[1] == 'I') {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (tiff[0] != 'M' || tiff[1] != 'M') {
      return NONE;
    }
    Ifd ifd0 = Ifd.at(b, b.getInt(4));
    if (ifd0 == null) {
      return NONE;
    }
    int orientation = ifd0.shortValue(TAG_ORIENTATION);
    Long exifOffset = ifd0.longValue(TAG_EXIF_IFD);
    Ifd exif = exifOffset == null ? null : Ifd.at(b, exifOffset);
    return new ExifFacts(orientation >= 1 && orientation <= 8 ? orientation : 1,
        clean(ifd0.ascii(TAG_MAKE)), clean(ifd0.ascii(TAG_MODEL)),
        date(exif == null ? null : clean(exif.ascii(TAG_DATE_TIME_ORIGINAL))));
  }

  /** One image file directory: entries of 12 bytes (tag, type, count, value or offset). */
  private record Ifd(ByteBuffer b, int start, int entries) {

    static Ifd at(ByteBuffer b, long offset) {
      if (offset < 8 || offset + 2 > b.limit()) {
        return null;
      }
      int count = Math.min(b.getShort((int) offset) & 0xFFFF, MAX_ENTRIES);
      int fit = (int) ((b.limit() - offset - 2) / 12);
      return new Ifd(b, (int) offset + 2, Math.min(count, fit));
    }

    private int entry(int tag) {
      for (int i = 0; i < entries; i++) {
        int at = start + 12 * i;
        if ((b.getShort(at) & 0xFFFF) == tag) {
          return at;
        }
      }
      return -1;
    }

    int shortValue(int tag) {
      int at = entry(tag);
      return at < 0 || (b.getShort(at + 2) & 0xFFFF) != TYPE_SHORT ? -1 : b.getShort(at + 8) & 0xFFFF;
    }

    Long longValue(int tag) {
      int at = entry(tag);
      if (at < 0) {
        return null;
      }
      int type = b.getShort(at + 2) & 0xFFFF;
      return type == TYPE_LONG || type == 13 ? b.getInt(at + 8) & 0xFFFFFFFFL : null;
    }

    String ascii(int tag) {
      int at = entry(tag);
      if (at < 0 || (b.getShort(at + 2) & 0xFFFF) != TYPE_ASCII) {
        return null;
      }
      long count = b.getInt(at + 4) & 0xFFFFFFFFL;
      long from = count <= 4 ? at + 8 : b.getInt(at + 8) & 0xFFFFFFFFL;
      int n = (int) Math.min(count, 4L * MAX_TEXT);
      if (from + n > b.limit()) {
        return null;
      }
      int end = 0;
      while (end < n && b.get((int) from + end) != 0) {
        end++;
      }
      byte[] text = new byte[end];
      b.get((int) from, text);
      return new String(text, StandardCharsets.UTF_8);
    }
  }

  private static String clean(String raw) {
    if (raw == null) {
      return null;
    }
    String clean = raw.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
    if (clean.isEmpty()) {
      return null;
    }
    return clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) : clean;
  }

  private static LocalDateTime date(String raw) {
    if (raw == null || raw.length() < 19) {
      return null;
    }
    try {
      return LocalDateTime.parse(raw.substring(0, 19), EXIF_DATE);
    } catch (DateTimeParseException e) {
      return null;  // "0000:00:00 00:00:00" and other camera placeholders
    }
  }
}
