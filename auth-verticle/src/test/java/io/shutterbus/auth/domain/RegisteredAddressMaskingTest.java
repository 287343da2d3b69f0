package io.shutterbus.auth.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.UserRegistered;
import io.shutterbus.events.inspect.Masking;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whatever address registration accepts, the event inspection tools show masked. */
class RegisteredAddressMaskingTest {
  private static final String SPECIALS = ".!#$%&'*+/=?^_`{|}~-";

  @Test
  void everyAddressRegistrationAcceptsIsMaskedInTheRegisteredEvent() {
    for (char c : SPECIALS.toCharArray()) {
      for (String email : new String[] {"o" + c + "@x.io", "bob" + c + "smith@x.io", c + "secret@x.io"}) {
        Registration r = Registration.parse(new JsonObject().put("email", email).put("name", "N")
            .put("password", "0123456789"));
        String shown = Masking.mask(new UserRegistered(UUID.randomUUID(), r.email(), "N", Instant.EPOCH)
            .toJson().encode());
        assertTrue(shown.contains("\"email\":\"" + r.email().charAt(0) + "***@x.io\""),
            email + " is masked in " + shown);
      }
    }
  }
}
