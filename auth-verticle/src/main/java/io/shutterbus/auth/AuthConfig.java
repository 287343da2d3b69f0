package io.shutterbus.auth;

import io.shutterbus.auth.token.KeySettings;
import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import java.time.Duration;

/** The auth service's settings, read once at start; a missing or bad one stops it, naming the variable. */
public record AuthConfig(HttpSettings http, PgSettings pg, KafkaSettings kafka, KeySettings keys, String issuer,
                         String audience, Duration accessTokenTtl, Duration refreshTokenTtl, boolean cookieSecure,
                         int hashThreads, int hashMaxPending, int instances) {
  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_MANAGEMENT_PORT = 9081;
  /** Request bodies of the auth API are small JSON documents. */
  public static final int BODY_LIMIT_BYTES = 16 * 1024;

  public static AuthConfig fromEnv(Env env) {
    refuseAdminsByEmail(env);
    return new AuthConfig(
        HttpSettings.fromEnv(env, "AUTH", DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT),
        PgSettings.fromEnv(env),
        KafkaSettings.fromEnv(env),
        KeySettings.fromEnv(env),
        env.string("JWT_ISSUER", "shutterbus"),
        env.string("JWT_AUDIENCE", "shutterbus-api"),
        Duration.ofSeconds(env.integer("AUTH_ACCESS_TOKEN_TTL_SECONDS", 900, 60, 3600)),
        Duration.ofHours(env.integer("AUTH_REFRESH_TOKEN_TTL_HOURS", 14 * 24, 1, 90 * 24)),
        cookieSecure(env),
        env.integer("AUTH_HASH_THREADS", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 1, 64),
        env.integer("AUTH_HASH_MAX_PENDING", 128, 1, 10_000),
        env.instances("AUTH_INSTANCES"));
  }

  /**
   * The refresh cookie is Secure whenever clients reach the site over TLS ({@code GATEWAY_TLS}), unless
   * {@code AUTH_COOKIE_SECURE} says otherwise; turning it off while TLS is on is refused, since a
   * cookie without Secure would also be sent over a plain-HTTP request to the same host.
   */
  static boolean cookieSecure(Env env) {
    boolean tls = env.flag("GATEWAY_TLS", false);
    boolean secure = env.flag("AUTH_COOKIE_SECURE", tls);
    if (tls && !secure) {
      throw new ConfigException("AUTH_COOKIE_SECURE=false contradicts GATEWAY_TLS=true: a refresh cookie must be"
          + " Secure when the site runs on TLS; remove AUTH_COOKIE_SECURE");
    }
    return secure;
  }

  /**
   * The admin role used to go to whoever registered a listed address first (e-mails are not
   * verified). A deployment that still sets the variable is stopped rather than silently left
   * without (or with the wrong) administrators.
   */
  private static void refuseAdminsByEmail(Env env) {
    if (env.has("SHUTTERBUS_ADMIN_EMAILS")) {
      throw new ConfigException("SHUTTERBUS_ADMIN_EMAILS is no longer read: anyone could register a listed address"
          + " first. Remove it and grant the role to existing accounts with: bin/admin grant <e-mail>");
    }
  }
}
