package io.shutterbus.auth.password;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Argon2idTest {

  @Test
  void matchesTheReferenceImplementationForOwaspParameters() {
    // From the reference implementation: echo -n password | argon2 somesalt123456 -id -k 19456 -t 2 -p 1 -l 32 -e
    byte[] expected = Base64.getDecoder().decode("XlLhYy891g+T16mYEZ+SMBUYHzIIOD15rQ9B8kJy8C0");
    assertArrayEquals(expected, Argon2id.derive("password", "somesalt123456".getBytes(StandardCharsets.US_ASCII),
        19456, 2, 1, 32));
  }

  @Test
  void hashesAreSaltedPhcStringsThatVerify() {
    String a = Argon2id.hash("correct horse battery");
    String b = Argon2id.hash("correct horse battery");
    assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
    assertNotEquals(a, b, "a fresh salt per hash");
    assertTrue(Argon2id.verify("correct horse battery", a));
    assertFalse(Argon2id.verify("correct horse battery!", a));
    assertFalse(a.contains("correct"));
  }

  @Test
  void somethingThatIsNotAnArgon2idHashNeverVerifies() {
    assertFalse(Argon2id.verify("x", "plaintext"));
    assertFalse(Argon2id.verify("x", "$2a$10$abcdefghijklmnopqrstuv"));
    assertFalse(Argon2id.verify("x", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA"));
  }
}
