package io.shutterbus.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Typed reads of event data fields; anything missing or malformed is an {@link InvalidEventException}. */
final class EventData {
  private EventData() {
  }

  static String string(JsonObject data, String field) {
    Object v = data == null ? null : data.getValue(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new InvalidEventException("event data field '" + field + "' is missing or not a string");
    }
    return s;
  }

  static String optionalString(JsonObject data, String field) {
    Object v = data.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidEventException("event data field '" + field + "' is not a string");
    }
    return s;
  }

  static UUID uuid(JsonObject data, String field) {
    String s = string(data, field);
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("event data field '" + field + "' is not a UUID", e);
    }
  }

  static Instant instant(JsonObject data, String field) {
    String s = string(data, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("event data field '" + field + "' is not an RFC 3339 time", e);
    }
  }

  static long number(JsonObject data, String field) {
    Object v = data == null ? null : data.getValue(field);
    if (!(v instanceof Number n)) {
      throw new InvalidEventException("event data field '" + field + "' is missing or not a number");
    }
    return n.longValue();
  }

  static JsonObject object(JsonObject data, String field) {
    Object v = data == null ? null : data.getValue(field);
    if (!(v instanceof JsonObject o)) {
      throw new InvalidEventException("event data field '" + field + "' is missing or not an object");
    }
    return o;
  }

  static <T> T require(T value, String field) {
    if (value == null) {
      throw new InvalidEventException("event field '" + field + "' is required");
    }
    return value;
  }
}
