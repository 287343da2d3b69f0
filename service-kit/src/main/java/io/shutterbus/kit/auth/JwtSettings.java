package io.shutterbus.kit.auth;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.net.URI;
import java.time.Duration;

/**
 * How a service checks access tokens: where the JWKS is, which issuer and audience a token must
 * name, and how often the key set may be fetched again.
 *
 * <ul>
 *   <li>{@code AUTH_JWKS_URL}, default {@code AUTH_URL + "/.well-known/jwks.json"} ({@code AUTH_URL}
 *       defaults to {@code http://127.0.0.1:8081})</li>
 *   <li>{@code JWT_ISSUER} (default {@code shutterbus}), {@code JWT_AUDIENCE} (default {@code shutterbus-api})</li>
 *   <li>{@code JWT_LEEWAY_SECONDS} (default 10): clock skew allowed on exp, nbf and iat</li>
 *   <li>{@code JWKS_FETCH_TIMEOUT_MS} (default 2000)</li>
 *   <li>{@code JWKS_REFETCH_MIN_INTERVAL_MS} (default 10000): a token with an unknown key id triggers
 *       at most one fetch per interval, so random key ids cannot hammer the auth service</li>
 *   <li>{@code JWKS_MAX_AGE_MS} (default 600000): after this the key set is refreshed in the background</li>
 *   <li>{@code JWT_VERIFIED_CACHE_SIZE} (default 10000, 0 = off): how many already verified tokens are
 *       remembered until their exp, so a token's signature is checked once, not on every request
 *       ({@link VerifiedTokenCache})</li>
 * </ul>
 */
public record JwtSettings(String jwksUrl, String issuer, String audience, int leewaySeconds,
                          Duration fetchTimeout, Duration refetchMinInterval, Duration maxAge,
                          int verifiedCacheSize) {
  public static final int DEFAULT_VERIFIED_CACHE_SIZE = 10_000;
  public static final String DEFAULT_AUTH_URL = "http://127.0.0.1:8081";
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  public JwtSettings {
    requireHttpUrl(jwksUrl, "AUTH_JWKS_URL");
    if (issuer == null || issuer.isBlank()) {
      throw new ConfigException("JWT_ISSUER must not be blank");
    }
    if (audience == null || audience.isBlank()) {
      throw new ConfigException("JWT_AUDIENCE must not be blank");
    }
  }

  public static JwtSettings fromEnv(Env env) {
    String authUrl = env.string("AUTH_URL", DEFAULT_AUTH_URL);
    String jwksUrl = env.string("AUTH_JWKS_URL", stripTrailingSlash(authUrl) + JWKS_PATH);
    return new JwtSettings(jwksUrl,
        env.string("JWT_ISSUER", "shutterbus"),
        env.string("JWT_AUDIENCE", "shutterbus-api"),
        env.integer("JWT_LEEWAY_SECONDS", 10, 0, 300),
        env.millis("JWKS_FETCH_TIMEOUT_MS", 2000, 100, 60_000),
        env.millis("JWKS_REFETCH_MIN_INTERVAL_MS", 10_000, 0, 3_600_000),
        env.millis("JWKS_MAX_AGE_MS", 600_000, 1000, 86_400_000),
        env.integer("JWT_VERIFIED_CACHE_SIZE", DEFAULT_VERIFIED_CACHE_SIZE, 0, 1_000_000));
  }

  /** Settings with the defaults above for everything but the URL, issuer and audience. */
  public static JwtSettings of(String jwksUrl, String issuer, String audience) {
    return new JwtSettings(jwksUrl, issuer, audience, 10, Duration.ofSeconds(2), Duration.ofSeconds(10),
        Duration.ofMinutes(10), DEFAULT_VERIFIED_CACHE_SIZE);
  }

  public JwtSettings withRefetchMinInterval(Duration interval) {
    return new JwtSettings(jwksUrl, issuer, audience, leewaySeconds, fetchTimeout, interval, maxAge,
        verifiedCacheSize);
  }

  public JwtSettings withMaxAge(Duration age) {
    return new JwtSettings(jwksUrl, issuer, audience, leewaySeconds, fetchTimeout, refetchMinInterval, age,
        verifiedCacheSize);
  }

  public JwtSettings withVerifiedCacheSize(int size) {
    return new JwtSettings(jwksUrl, issuer, audience, leewaySeconds, fetchTimeout, refetchMinInterval, maxAge, size);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void requireHttpUrl(String url, String variable) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(variable + " must be an http(s) URL, got '" + url + "'");
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new ConfigException(variable + " must be an http(s) URL, got '" + url + "'");
    }
  }
}
