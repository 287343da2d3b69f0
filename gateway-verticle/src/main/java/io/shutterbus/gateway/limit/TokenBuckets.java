package io.shutterbus.gateway.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per key (a client IP), in memory, shared by the gateway's event loops. Each key
 * holds at most {@code burst} tokens and regains {@code perMinute} a minute. Memory is bounded: past
 * {@code maxKeys}, full (idle) buckets are swept, and while still full new keys share one bucket.
 */
public final class TokenBuckets {
  private static final String OVERFLOW = "\u0000overflow";
  private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

  private final double perNano;
  private final double burst;
  private final int maxKeys;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile long lastSweep;

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  public TokenBuckets(double perMinute, int burst, int maxKeys, LongSupplier nanoClock) {
    this.perNano = perMinute / 60e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanoClock = nanoClock;
    this.lastSweep = nanoClock.getAsLong();
  }

  public TokenBuckets(double perMinute, int burst, int maxKeys) {
    this(perMinute, burst, maxKeys, System::nanoTime);
  }

  /** Takes a token for {@code key}: 0 when allowed, otherwise the milliseconds until one is there. */
  public long tryAcquire(String key) {
    if (perNano <= 0) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= maxKeys) {
        sweep(now);
      }
      bucket = buckets.size() >= maxKeys
          ? buckets.computeIfAbsent(OVERFLOW, k -> new Bucket(burst, now))
          : buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    }
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perNano / 1e6));
    }
  }

  public int size() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * perNano);
    bucket.refilledAt = now;
  }

  private void sweep(long now) {
    if (now - lastSweep < SWEEP_EVERY_NANOS) {
      return;
    }
    lastSweep = now;
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        refill(e.getValue(), now);
        return e.getValue().tokens >= burst;
      }
    });
  }
}
