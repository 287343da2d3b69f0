package io.shutterbus.events.inspect;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to read from a topic: where to start (at most one of {@code fromBeginning}, {@code offset},
 * {@code since}; otherwise the last {@code last} events of each partition), which events to keep
 * and how many. {@code follow} keeps reading past the end offsets seen at the start.
 */
public record EventQuery(String topic, Integer partition, boolean fromBeginning, Long offset, Instant since,
                         int last, String key, String text, Integer limit, boolean follow, boolean unmask) {
  private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*([smhd])");

  public EventQuery {
    if ((fromBeginning ? 1 : 0) + (offset != null ? 1 : 0) + (since != null ? 1 : 0) > 1) {
      throw new IllegalArgumentException("choose one start: from the beginning, an offset or a time");
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("the limit must be at least 1");
    }
    if (offset != null && offset < 0) {
      throw new IllegalArgumentException("the offset must not be negative");
    }
  }

  public static EventQuery lastOf(String topic) {
    return new EventQuery(topic, null, false, null, null, 10, null, null, null, false, false);
  }

  /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} before {@code now}, or an ISO instant or local date-time (UTC). */
  public static Instant parseSince(String text, Instant now) {
    Matcher m = RELATIVE.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "since takes 30s, 10m, 2h, 1d or an ISO time such as 2026-11-26T10:00:00Z, got '" + text + "'");
      }
    }
  }
}
