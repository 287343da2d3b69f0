package io.shutterbus.auth.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Roles go into access tokens. Everyone is a {@code user}; {@code admin} is granted to an account
 * by an operator ({@code bin/admin grant <e-mail>}), never by registering a particular address.
 * Read at every token issue, so a grant or revoke takes effect at the next login or refresh (at
 * the latest when the current access token expires).
 */
public final class Roles {
  public static final String USER = "user";
  public static final String ADMIN = "admin";

  private Roles() {
  }

  /** The roles a token carries for an account with these granted roles. */
  public static List<String> of(List<String> granted) {
    List<String> roles = new ArrayList<>();
    roles.add(USER);
    granted.stream().filter(r -> !r.equals(USER)).forEach(roles::add);
    return List.copyOf(roles);
  }
}
