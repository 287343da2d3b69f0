package io.shutterbus.image.db;

/** What one user keeps stored, against what they may. */
public record QuotaUsage(long usedBytes, long usedCount, long limitBytes, long limitCount) {

  /** Whether one more image of {@code bytes} fits. */
  public boolean allows(long bytes) {
    return usedCount + 1 <= limitCount && usedBytes + bytes <= limitBytes;
  }
}
