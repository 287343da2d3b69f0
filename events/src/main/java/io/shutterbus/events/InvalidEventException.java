package io.shutterbus.events;

/**
 * An event that cannot be read: a missing CloudEvents header, an unknown type, or data that does
 * not match its record. Consumers treat it as poison (dead-letter it), never as a reason to stop.
 */
public class InvalidEventException extends IllegalArgumentException {
  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
