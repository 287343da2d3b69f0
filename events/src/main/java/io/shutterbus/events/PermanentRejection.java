package io.shutterbus.events;

import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Which Kafka failures say "this record will never be accepted as it is", as opposed to "not now".
 * An allow-list rather than "anything not a RetriableException": broker-wide errors such as a
 * failed authentication are not retriable either, but they are no fault of one record and must not
 * park the whole outbox.
 */
final class PermanentRejection {
  private static final List<Class<? extends Throwable>> PERMANENT = List.of(
      RecordTooLargeException.class, RecordBatchTooLargeException.class, InvalidTopicException.class,
      TopicAuthorizationException.class, InvalidRecordException.class, SerializationException.class);

  private PermanentRejection() {
  }

  /** True when {@code failure}, or one of its causes, is a rejection of the record itself. */
  static boolean of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : PERMANENT) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * True for the producer's "Topic X not present in metadata after N ms": an unknown topic (the
   * broker answers, without it) or a broker that does not answer at all. Only the caller can tell
   * the two apart, by whether the broker acknowledged something else meanwhile.
   */
  static boolean missingMetadata(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.TimeoutException && t.getMessage() != null
          && t.getMessage().contains("not present in metadata")) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
