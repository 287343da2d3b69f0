package io.shutterbus.events.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shutterbus.events.inspect.EventQuery;
import io.shutterbus.events.inspect.Masking;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaskingTest {
  @Test
  void masksEveryAddressKeepingTheFirstLetterAndDomain() {
    assertEquals("{\"email\":\"a***@example.com\",\"cc\":\"b***@mail.example.org\"}",
        Masking.mask("{\"email\":\"alice.smith+x@example.com\",\"cc\":\"bob@mail.example.org\"}"));
    assertEquals("no address here", Masking.mask("no address here"));
    assertEquals(null, Masking.mask(null));
  }

  @Test
  void masksAddressesWithEveryCharacterRegistrationAllows() {
    assertEquals("{\"email\":\"o***@x.io\"}", Masking.mask("{\"email\":\"o'@x.io\"}"));
    assertEquals("{\"email\":\"b***@x.io\"}", Masking.mask("{\"email\":\"bob!smith@x.io\"}"));
    assertEquals("to: a***@Example.COM, b***@x.io", Masking.mask("to: a{b}|c~d`e^f=g?h/i*j&k%l$m#n@Example.COM, b-_@x.io"));
  }

  @Test
  void aLongRunWithoutAnAddressIsLeftAsItIs() {
    String noise = "a".repeat(20_000) + "@";
    assertEquals(noise, Masking.mask(noise));
  }

  @Test
  void sinceTakesRelativeAndAbsoluteTimes() {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    assertEquals(Instant.parse("2026-11-26T09:50:00Z"), EventQuery.parseSince("10m", now));
    assertEquals(Instant.parse("2026-11-25T10:00:00Z"), EventQuery.parseSince("1d", now));
    assertEquals(Instant.parse("2026-11-26T08:00:00Z"), EventQuery.parseSince("2026-11-26T08:00:00Z", now));
    assertEquals(Instant.parse("2026-11-26T08:00:00Z"), EventQuery.parseSince("2026-11-26T08:00:00", now));
  }
}
