package io.shutterbus.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void burstThenOneTokenPerPeriodWithTheWaitToTheNextToken() {
    TokenBuckets buckets = new TokenBuckets(6, 2, 100, nanos::get);  // one token per 10 s
    assertEquals(0, buckets.tryAcquire("a"));
    assertEquals(0, buckets.tryAcquire("a"));
    assertEquals(10_000, buckets.tryAcquire("a"));
    nanos.addAndGet(4_000_000_000L);
    assertEquals(6_000, buckets.tryAcquire("a"));
    nanos.addAndGet(6_000_000_000L);
    assertEquals(0, buckets.tryAcquire("a"));
    assertEquals(0, buckets.tryAcquire("b"), "keys are independent");
  }

  @Test
  void zeroRateMeansNoLimit() {
    TokenBuckets buckets = new TokenBuckets(0, 1, 100, nanos::get);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, buckets.tryAcquire("a"));
    }
  }

  @Test
  void memoryIsBoundedAndNewKeysShareABucketWhenFull() {
    TokenBuckets buckets = new TokenBuckets(60, 1, 10, nanos::get);
    for (int i = 0; i < 10; i++) {
      assertEquals(0, buckets.tryAcquire("k" + i));
    }
    assertEquals(0, buckets.tryAcquire("new-1"));
    assertTrue(buckets.tryAcquire("new-2") > 0, "overflow keys share one bucket");
    assertTrue(buckets.size() <= 11);
    nanos.addAndGet(5_000_000_000L);   // idle buckets refill and are swept
    assertEquals(0, buckets.tryAcquire("new-3"));
    assertTrue(buckets.size() <= 2, "swept to " + buckets.size());
  }
}
