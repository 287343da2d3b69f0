package io.shutterbus.auth.domain;

import io.shutterbus.events.EmailSyntax;
import java.util.Locale;

/**
 * E-mail addresses are compared and stored normalised: trimmed and in lower case, so
 * {@code Alice@Example.com} and {@code alice@example.com} are one account. The syntax is
 * {@link EmailSyntax}'s (the HTML standard's type=email plus a dot in the domain), the same the
 * event inspection tools mask by.
 */
public final class EmailAddresses {
  public static final int MAX_LENGTH = EmailSyntax.MAX_LENGTH;

  private EmailAddresses() {
  }

  public static String normalize(String raw) {
    return raw.trim().toLowerCase(Locale.ROOT);
  }

  public static boolean valid(String normalized) {
    return EmailSyntax.valid(normalized);
  }
}
