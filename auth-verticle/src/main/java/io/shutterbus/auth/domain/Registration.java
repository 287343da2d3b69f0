package io.shutterbus.auth.domain;

import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.json.JsonObject;

/**
 * A valid registration request: normalised e-mail, trimmed name of 1 to 100 characters without
 * control characters, and a password of 10 to 128 characters (no composition rules, as NIST and
 * OWASP advise) that is not the e-mail address or the name.
 */
public record Registration(String email, String name, String password) {
  public static final int NAME_MAX = 100;
  public static final int PASSWORD_MIN = 10;
  public static final int PASSWORD_MAX = 128;

  public static Registration parse(JsonObject body) {
    String email = Fields.atMost("email", EmailAddresses.normalize(Fields.required(body, "email")),
        EmailAddresses.MAX_LENGTH);
    if (!EmailAddresses.valid(email)) {
      throw ProblemException.invalidField("email", "email is not a valid e-mail address.");
    }
    String rawName = Fields.required(body, "name");
    if (rawName.codePoints().anyMatch(Character::isISOControl)) {
      throw ProblemException.invalidField("name", "name must not contain control characters.");
    }
    String name = Fields.atMost("name", rawName.trim(), NAME_MAX);
    String password = Fields.atMost("password", Fields.required(body, "password"), PASSWORD_MAX);
    if (Fields.length(password) < PASSWORD_MIN) {
      throw ProblemException.invalidField("password",
          "password must be at least " + PASSWORD_MIN + " characters long.");
    }
    String comparable = password.trim();
    if (comparable.equalsIgnoreCase(email) || comparable.equalsIgnoreCase(name)) {
      throw ProblemException.invalidField("password", "password must not be your e-mail address or your name.");
    }
    return new Registration(email, name, password);
  }

  @Override
  public String toString() {
    return "Registration[" + email + "]";
  }
}
