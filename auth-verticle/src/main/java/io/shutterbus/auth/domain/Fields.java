package io.shutterbus.auth.domain;

import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.json.JsonObject;

/** Reads string fields of a request body; every failure is a 400 that names the field. */
final class Fields {
  private Fields() {
  }

  /** A present, non-blank string, untrimmed. The body limit bounds its size. */
  static String required(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ProblemException.invalidField(field, field + " is required.");
    }
    if (!(value instanceof String s)) {
      throw ProblemException.invalidField(field, field + " must be a string.");
    }
    if (s.isBlank()) {
      throw ProblemException.invalidField(field, field + " is required.");
    }
    return s;
  }

  /** Fails naming the field when {@code value} has more than {@code maxChars} characters (code points). */
  static String atMost(String field, String value, int maxChars) {
    if (length(value) > maxChars) {
      throw ProblemException.invalidField(field, field + " must be at most " + maxChars + " characters long.");
    }
    return value;
  }

  static int length(String s) {
    return s.codePointCount(0, s.length());
  }
}
