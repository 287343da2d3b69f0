package io.shutterbus.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginBackoff backoff = new LoginBackoff(3, Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofMinutes(15), 100, now::get);

  @Test
  void locksAfterThresholdDoublingUpToTheMaximum() {
    backoff.failed("a");
    backoff.failed("a");
    assertEquals(0, backoff.retryAfterMillis("a"));
    backoff.failed("a");
    assertEquals(1000, backoff.retryAfterMillis("a"));
    backoff.failed("a");
    assertEquals(2000, backoff.retryAfterMillis("a"));
    backoff.failed("a");
    assertEquals(4000, backoff.retryAfterMillis("a"));
    backoff.failed("a");
    assertEquals(5000, backoff.retryAfterMillis("a"), "capped");
    now.addAndGet(5000);
    assertEquals(0, backoff.retryAfterMillis("a"));
  }

  @Test
  void successClearsAndOldFailuresAreForgotten() {
    backoff.failed("a");
    backoff.failed("a");
    backoff.succeeded("a");
    backoff.failed("a");
    backoff.failed("a");
    assertEquals(0, backoff.retryAfterMillis("a"));
    now.addAndGet(Duration.ofMinutes(16).toMillis());
    backoff.failed("a");
    assertEquals(0, backoff.retryAfterMillis("a"), "failures older than the memory do not count");
  }

  @Test
  void boundedMemoryStopsTrackingNewAccountsWhenFullOfRecentFailures() {
    LoginBackoff small = new LoginBackoff(1, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(15),
        2, now::get);
    small.failed("a");
    small.failed("b");
    small.failed("c");
    assertEquals(0, small.retryAfterMillis("c"));
    assertEquals(1000, small.retryAfterMillis("a"));
  }
}
