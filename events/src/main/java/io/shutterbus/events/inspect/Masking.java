package io.shutterbus.events.inspect;

import io.shutterbus.events.EmailSyntax;

/**
 * Masks e-mail addresses in what the inspection tools show: {@code alice@example.com} ->
 * {@code a***@example.com}. An address is what registration accepts ({@link EmailSyntax}), so
 * {@code o'@x.io} and {@code bob!smith@x.io} are masked as well.
 */
public final class Masking {
  private Masking() {
  }

  public static String mask(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    return EmailSyntax.mask(text);
  }
}
