package io.shutterbus.gateway.live;

import java.util.HashMap;
import java.util.Map;

/**
 * Who holds how many live streams in this gateway process, shared by all its verticle instances:
 * at most {@code maxTotal} in all (each holds a connection, timers and a consumer) and a per-user
 * cap given at each call. Taking and giving back a slot is one atomic step over both counts, so two
 * event loops racing for the last slot, or a release racing a new stream of the same user, can
 * never leave a count orphaned or let a user past the cap.
 */
public final class StreamSlots {
  /** The answer to a request for a slot. */
  public enum Grant { GRANTED, USER_FULL, GATEWAY_FULL }

  private final int maxTotal;
  private final Map<String, Integer> perUser = new HashMap<>();
  private int total;

  public StreamSlots(int maxTotal) {
    this.maxTotal = maxTotal;
  }

  public synchronized Grant acquire(String userId, int maxPerUser) {
    int mine = perUser.getOrDefault(userId, 0);
    if (mine >= maxPerUser) {
      return Grant.USER_FULL;
    }
    if (total >= maxTotal) {
      return Grant.GATEWAY_FULL;
    }
    perUser.put(userId, mine + 1);
    total++;
    return Grant.GRANTED;
  }

  /** Gives back a slot taken with {@link #acquire}; call it exactly once per granted slot. */
  public synchronized void release(String userId) {
    Integer mine = perUser.get(userId);
    if (mine == null) {
      throw new IllegalStateException("no stream slot held by this user");
    }
    if (mine <= 1) {
      perUser.remove(userId);
    } else {
      perUser.put(userId, mine - 1);
    }
    total--;
  }

  public synchronized int total() {
    return total;
  }

  public synchronized int of(String userId) {
    return perUser.getOrDefault(userId, 0);
  }

  public int maxTotal() {
    return maxTotal;
  }
}
