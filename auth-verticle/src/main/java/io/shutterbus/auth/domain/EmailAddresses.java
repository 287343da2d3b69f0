package io.shutterbus.auth.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mail addresses are compared and stored normalised: trimmed and in lower case, so
 * {@code Alice@Example.com} and {@code alice@example.com} are one account. The syntax check is the
 * HTML standard's (what a browser's type=email accepts) plus a dot in the domain.
 */
public final class EmailAddresses {
  public static final int MAX_LENGTH = 254;
  private static final Pattern VALID = Pattern.compile(
      "[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

  private EmailAddresses() {
  }

  public static String normalize(String raw) {
    return raw.trim().toLowerCase(Locale.ROOT);
  }

  public static boolean valid(String normalized) {
    return normalized.length() <= MAX_LENGTH && VALID.matcher(normalized).matches();
  }
}
