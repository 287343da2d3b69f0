package io.shutterbus.events;

/** An event that can never be handled however often it is retried (e.g. an image that cannot be decoded). */
public class PoisonEventException extends RuntimeException {
  public PoisonEventException(String message) {
    super(message);
  }

  public PoisonEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
