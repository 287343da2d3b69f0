package io.shutterbus.auth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shutterbus.kit.http.ProblemException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RegistrationTest {
  private static JsonObject body(String email, String name, String password) {
    return new JsonObject().put("email", email).put("name", name).put("password", password);
  }

  private static String failingField(JsonObject body) {
    ProblemException p = assertThrows(ProblemException.class, () -> Registration.parse(body));
    assertEquals(400, p.status());
    return p.extensions().getString("field");
  }

  @Test
  void normalisesEmailAndName() {
    Registration r = Registration.parse(body("  Alice@Example.COM ", "  Alice  ", "0123456789"));
    assertEquals("alice@example.com", r.email());
    assertEquals("Alice", r.name());
    assertEquals("0123456789", r.password());
  }

  @Test
  void lengthsCountCharactersNotBytes() {
    Registration.parse(body("a@example.com", "é".repeat(100), "ü".repeat(10)));
    assertEquals("name", failingField(body("a@example.com", "é".repeat(101), "0123456789")));
    assertEquals("password", failingField(body("a@example.com", "N", "ü".repeat(9))));
    assertEquals("password", failingField(body("a@example.com", "N", "😀".repeat(129))));
  }

  @Test
  void namesWithControlCharactersAreRefused() {
    assertEquals("name", failingField(body("a@example.com", "Eve\u0000", "0123456789")));
    assertEquals("name", failingField(body("a@example.com", "Eve\nMallory", "0123456789")));
  }

  @Test
  void passwordsEqualToEmailOrNameAreRefusedWhateverTheCase() {
    assertEquals("password", failingField(body("longer@example.com", "N", "LONGER@EXAMPLE.COM")));
    assertEquals("password", failingField(body("a@example.com", "Quite A Long Name", "quite a long name")));
  }

  @Test
  void theFirstBadFieldIsNamed() {
    assertEquals("email", failingField(new JsonObject()));
    assertEquals("name", failingField(new JsonObject().put("email", "a@example.com")));
    assertEquals("password", failingField(new JsonObject().put("email", "a@example.com").put("name", "N")));
  }
}
