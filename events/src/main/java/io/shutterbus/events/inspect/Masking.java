package io.shutterbus.events.inspect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks e-mail addresses in what the inspection tools show: {@code alice@example.com} -> {@code a***@example.com}. */
public final class Masking {
  private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");

  private Masking() {
  }

  public static String mask(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    Matcher m = EMAIL.matcher(text);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "***@" + r.group(2)));
  }
}
