package io.shutterbus.auth.domain;

import java.util.List;
import java.util.Set;

/**
 * Roles go into access tokens. Everyone is a {@code user}; addresses listed in
 * SHUTTERBUS_ADMIN_EMAILS are also {@code admin}. Decided at every token issue, so changing the
 * list takes effect at the next login or refresh.
 */
public record Roles(Set<String> adminEmails) {
  public static final String USER = "user";
  public static final String ADMIN = "admin";

  public List<String> of(String normalizedEmail) {
    return adminEmails.contains(normalizedEmail) ? List.of(USER, ADMIN) : List.of(USER);
  }
}
