package io.shutterbus.kit.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a verified access token speaks for: the user id ({@code sub}), the roles it grants and when
 * it expires. Nothing else from the token is trusted or carried.
 */
public record AuthPrincipal(String userId, Set<String> roles, Instant expiresAt) {
  public AuthPrincipal {
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
