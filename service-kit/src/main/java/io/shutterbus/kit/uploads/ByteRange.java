package io.shutterbus.kit.uploads;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a file, from a {@code Range: bytes=...} header. Only a single range is honoured;
 * several ranges or another unit are answered with the whole file, as RFC 9110 allows.
 */
record ByteRange(long start, long end) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  long length() {
    return end - start + 1;
  }

  /** The outcome of reading a Range header against a file of {@code size} bytes. */
  sealed interface Parsed permits Whole, Partial, Unsatisfiable {
  }

  record Whole() implements Parsed {
  }

  record Partial(ByteRange range) implements Parsed {
  }

  record Unsatisfiable() implements Parsed {
  }

  static Parsed parse(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches()) {
      return new Whole();
    }
    String first = m.group(1);
    String last = m.group(2);
    if (first.isEmpty() && last.isEmpty()) {
      return new Whole();
    }
    if (first.isEmpty()) {
      long suffix = Long.parseLong(last);
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    long start = Long.parseLong(first);
    long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
    if (!last.isEmpty() && Long.parseLong(last) < start) {
      return new Whole();  // syntactically invalid: ignore the header
    }
    if (start >= size) {
      return new Unsatisfiable();
    }
    return new Partial(new ByteRange(start, end));
  }
}
