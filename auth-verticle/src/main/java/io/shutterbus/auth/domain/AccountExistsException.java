package io.shutterbus.auth.domain;

/** Registration with an e-mail address that already has an account. */
public final class AccountExistsException extends RuntimeException {
  public AccountExistsException() {
    super("an account with this e-mail address exists", null, false, false);
  }
}
