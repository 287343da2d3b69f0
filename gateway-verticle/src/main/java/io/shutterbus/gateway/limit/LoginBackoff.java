package io.shutterbus.gateway.limit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed logins per account (normalised e-mail), in memory. After {@code lockAfter} failures the
 * account is locked for {@code base}, doubling with every further failure up to {@code max};
 * a success clears it, and failures older than {@code memory} are forgotten. Unknown and known
 * e-mails are treated alike, so a lock says nothing about whether an account exists.
 */
public final class LoginBackoff {
  private final int lockAfter;
  private final long baseMs;
  private final long maxMs;
  private final long memoryMs;
  private final int maxKeys;
  private final LongSupplier clockMillis;
  private final Map<String, Failures> accounts = new ConcurrentHashMap<>();

  private static final class Failures {
    int count;
    long lastAt;
    long lockedUntil;
  }

  public LoginBackoff(int lockAfter, Duration base, Duration max, Duration memory, int maxKeys,
                      LongSupplier clockMillis) {
    this.lockAfter = lockAfter;
    this.baseMs = base.toMillis();
    this.maxMs = max.toMillis();
    this.memoryMs = memory.toMillis();
    this.maxKeys = maxKeys;
    this.clockMillis = clockMillis;
  }

  /** Milliseconds the account must still wait, 0 when a login may be tried. */
  public long retryAfterMillis(String account) {
    Failures f = accounts.get(account);
    if (f == null) {
      return 0;
    }
    long now = clockMillis.getAsLong();
    synchronized (f) {
      if (now - f.lastAt > memoryMs && f.lockedUntil <= now) {
        accounts.remove(account, f);
        return 0;
      }
      return Math.max(0, f.lockedUntil - now);
    }
  }

  public void failed(String account) {
    long now = clockMillis.getAsLong();
    if (!accounts.containsKey(account) && accounts.size() >= maxKeys) {
      accounts.entrySet().removeIf(e -> now - e.getValue().lastAt > memoryMs && e.getValue().lockedUntil <= now);
      if (accounts.size() >= maxKeys) {
        return;  // full of recent failures: the per-IP limit still applies
      }
    }
    Failures f = accounts.computeIfAbsent(account, k -> new Failures());
    synchronized (f) {
      if (now - f.lastAt > memoryMs) {
        f.count = 0;
      }
      f.count++;
      f.lastAt = now;
      if (f.count >= lockAfter) {
        int doublings = Math.min(f.count - lockAfter, 30);
        f.lockedUntil = now + Math.min(maxMs, baseMs << doublings);
      }
    }
  }

  public void succeeded(String account) {
    accounts.remove(account);
  }
}
