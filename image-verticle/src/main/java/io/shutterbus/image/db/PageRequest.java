package io.shutterbus.image.db;

import io.shutterbus.kit.http.ProblemException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Which page of an owner's images to read: at most {@code limit} images older than the cursor (keyset
 * paging on created_at, id: stable while images are added, no OFFSET scans). The cursor is opaque to
 * clients: the {@code nextCursor} of the previous page.
 */
public record PageRequest(int limit, OffsetDateTime afterCreatedAt, UUID afterId) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  public static PageRequest first(int limit) {
    return new PageRequest(limit, null, null);
  }

  /**
   * From the query parameters {@code limit} and {@code cursor} (either may be null).
   *
   * @throws ProblemException a 400 naming the field when one is invalid
   */
  public static PageRequest parse(String limit, String cursor) {
    int n = DEFAULT_LIMIT;
    if (limit != null && !limit.isBlank()) {
      try {
        n = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_LIMIT) {
        throw ProblemException.invalidField("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
      }
    }
    if (cursor == null || cursor.isBlank()) {
      return first(n);
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor.trim()));
      if (b.remaining() != 24) {
        throw new IllegalArgumentException("wrong length");
      }
      Instant at = Instant.EPOCH.plus(b.getLong(), ChronoUnit.MICROS);
      return new PageRequest(n, at.atOffset(ZoneOffset.UTC), new UUID(b.getLong(), b.getLong()));
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      throw ProblemException.invalidField("cursor", "cursor must be the nextCursor of a previous page.");
    }
  }

  static String cursorAfter(ImageRecord last) {
    Instant at = last.createdAt().toInstant();
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
    ByteBuffer b = ByteBuffer.allocate(24).putLong(micros)
        .putLong(last.id().getMostSignificantBits()).putLong(last.id().getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }
}
