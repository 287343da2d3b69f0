package io.shutterbus.auth.domain;

import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.json.JsonObject;

/** A login request. Only its shape is checked here; whether it is right is the password hash's answer. */
public record Credentials(String email, String password) {

  public static Credentials parse(JsonObject body) {
    String email = Fields.atMost("email", EmailAddresses.normalize(Fields.required(body, "email")),
        EmailAddresses.MAX_LENGTH);
    if (!EmailAddresses.valid(email)) {
      throw ProblemException.invalidField("email", "email is not a valid e-mail address.");
    }
    return new Credentials(email,
        Fields.atMost("password", Fields.required(body, "password"), Registration.PASSWORD_MAX));
  }

  @Override
  public String toString() {
    return "Credentials[" + email + "]";
  }
}
