package io.shutterbus.kit.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.concurrent.TimeUnit;

/**
 * Tokens whose ES256 signature has already been verified, so the next request with the same token
 * skips the verification (about 1 ms of event-loop CPU on JDK 17), as Envoy's {@code jwt_authn}
 * does. Keyed by the whole compact token: a token differing in any byte (a tampered one) is a
 * different key and is verified in full. Only successes are stored. An entry leaves the cache
 * when its token expires (plus the leeway), when the cache is full (Caffeine's size-bounded
 * eviction), or when {@link #clear()} is called because the key set changed. Callers still check
 * the time claims (exp, nbf) and iss/aud on every use: the cache saves the signature, nothing else.
 *
 * @param <V> what the caller needs back: the verified claims and whatever proves which key signed
 */
public final class VerifiedTokenCache<V> {
  /** Tokens longer than this are never cached (ours are about 400 bytes), bounding memory per entry. */
  static final int MAX_TOKEN_CHARS = 4096;

  private record Entry<V>(V value, long expiresAtMillis) {
  }

  private final Cache<String, Entry<V>> cache;
  private final boolean enabled;

  /**
   * @param maxTokens      how many tokens are kept at most; 0 turns the cache off
   * @param leewaySeconds  how long past {@code exp} an entry may live (callers refuse it anyway)
   */
  public VerifiedTokenCache(int maxTokens, long leewaySeconds) {
    this.enabled = maxTokens > 0;
    long leewayMillis = TimeUnit.SECONDS.toMillis(leewaySeconds);
    this.cache = Caffeine.newBuilder()
        .maximumSize(Math.max(0, maxTokens))
        // maintenance runs on the calling thread: cheap, and no common-pool threads per service
        .executor(Runnable::run)
        .expireAfter(Expiry.<String, Entry<V>>creating((token, entry) -> java.time.Duration.ofMillis(
            Math.max(0, entry.expiresAtMillis() + leewayMillis - System.currentTimeMillis()))))
        .build();
  }

  /** The value stored for exactly this token, or null. */
  public V get(String token) {
    if (!enabled) {
      return null;
    }
    Entry<V> entry = cache.getIfPresent(token);
    return entry == null ? null : entry.value();
  }

  /** Remembers a token whose signature verified; {@code expEpochSeconds} is its {@code exp} claim. */
  public void put(String token, V value, long expEpochSeconds) {
    if (enabled && token.length() <= MAX_TOKEN_CHARS) {
      cache.put(token, new Entry<>(value, TimeUnit.SECONDS.toMillis(expEpochSeconds)));
    }
  }

  /** Forgets one token, e.g. when the key that signed it is no longer in the key set. */
  public void remove(String token) {
    cache.invalidate(token);
  }

  /** Forgets every token: the key set changed. */
  public void clear() {
    cache.invalidateAll();
  }

  /** How many tokens are held now (after pending evictions), for tests and metrics. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
