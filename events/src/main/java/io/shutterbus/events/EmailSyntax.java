package io.shutterbus.events;

import java.util.regex.Pattern;

/**
 * The one definition of an e-mail address in Shutterbus: what registration accepts (the HTML
 * standard's type=email, plus a dot in the domain) and what the inspection tools mask. Both read
 * it from here so that no address registration lets in can slip past the masking.
 */
public final class EmailSyntax {
  public static final int MAX_LENGTH = 254;
  /** Everything the local part (before the @) may hold, for a character class. */
  private static final String LOCAL = "a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-";
  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final String DOMAIN = LABEL + "(?:\\." + LABEL + ")+";
  private static final Pattern ADDRESS = Pattern.compile("[" + LOCAL + "]{1,64}@" + DOMAIN);
  /**
   * An address inside other text, any case. The local part starts where its characters start
   * (the look-behind), so a run is scanned once, never from each of its characters again.
   */
  private static final Pattern IN_TEXT = Pattern.compile(
      "(?<![" + LOCAL + "])([" + LOCAL + "])[" + LOCAL + "]*+@(" + DOMAIN + ")", Pattern.CASE_INSENSITIVE);

  private EmailSyntax() {
  }

  /** Whether a normalised (trimmed, lower-case) address is one registration accepts. */
  public static boolean valid(String normalized) {
    return normalized.length() <= MAX_LENGTH && ADDRESS.matcher(normalized).matches();
  }

  /** Every address in {@code text} with its local part cut to the first character: {@code a***@example.com}. */
  public static String mask(String text) {
    return IN_TEXT.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***@" + m.group(2)));
  }
}
