package io.shutterbus.image.render;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
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
 */
record ExifFacts(int orientation, String make, String model, LocalDateTime takenAt) {
  static final ExifFacts NONE = new ExifFacts(1, null, null, null);
  private static final Logger LOG = LoggerFactory.getLogger(ExifFacts.class);
  private static final DateTimeFormatter EXIF_DATE = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");
  private static final int MAX_TEXT = 64;

  static ExifFacts read(Path file) {
    Metadata metadata;
    try {
      metadata = ImageMetadataReader.readMetadata(file.toFile());
    } catch (Exception | StackOverflowError e) {
      LOG.debug("no readable metadata in {}: {}", file.getFileName(), e.toString());
      return NONE;
    }
    ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
    int orientation = 1;
    if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
      Integer o = ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
      orientation = o != null && o >= 1 && o <= 8 ? o : 1;
    }
    return new ExifFacts(orientation,
        text(ifd0, ExifIFD0Directory.TAG_MAKE),
        text(ifd0, ExifIFD0Directory.TAG_MODEL),
        date(exif == null ? null : text(exif, ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL)));
  }

  private static String text(Directory dir, int tag) {
    if (dir == null) {
      return null;
    }
    String raw = dir.getString(tag);
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
