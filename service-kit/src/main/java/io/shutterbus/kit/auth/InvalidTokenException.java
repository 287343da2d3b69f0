package io.shutterbus.kit.auth;

/**
 * A token that must not be accepted. The reason is for logs and for the problem detail; every
 * reason means 401 to the caller. The message never contains the token.
 */
public final class InvalidTokenException extends RuntimeException {
  /** Why a token was refused. */
  public enum Reason {
    MISSING, MALFORMED, ALGORITHM, UNKNOWN_KEY, SIGNATURE, EXPIRED, NOT_YET_VALID, ISSUER, AUDIENCE, MISSING_CLAIM
  }

  private final Reason reason;

  public InvalidTokenException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
