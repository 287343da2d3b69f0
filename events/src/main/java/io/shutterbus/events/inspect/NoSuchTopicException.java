package io.shutterbus.events.inspect;

/** The topic (or the partition of it) asked for does not exist. */
public final class NoSuchTopicException extends RuntimeException {
  public NoSuchTopicException(String message) {
    super(message, null, false, false);
  }

  public static NoSuchTopicException topic(String topic) {
    return new NoSuchTopicException("no topic named " + topic);
  }
}
