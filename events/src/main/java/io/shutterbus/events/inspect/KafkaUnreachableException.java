package io.shutterbus.events.inspect;

/** The broker did not answer within {@link KafkaAccess#CONNECT_TIMEOUT_MS}: a sentence that says what to do. */
public final class KafkaUnreachableException extends RuntimeException {
  public KafkaUnreachableException(String bootstrap) {
    super("cannot reach Kafka at " + bootstrap + " (no answer within " + KafkaAccess.CONNECT_TIMEOUT_MS / 1000
        + " s); start the platform or pass --bootstrap-server HOST:PORT", null, false, false);
  }
}
