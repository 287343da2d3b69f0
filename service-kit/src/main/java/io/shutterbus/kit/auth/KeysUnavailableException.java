package io.shutterbus.kit.auth;

/**
 * No signing key is known and the JWKS could not be fetched (or held no usable key), so no token
 * can be checked: the caller answers 503 naming the auth service, never accepts the token.
 */
public final class KeysUnavailableException extends RuntimeException {
  public KeysUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
