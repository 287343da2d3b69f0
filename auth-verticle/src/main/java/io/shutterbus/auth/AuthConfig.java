package io.shutterbus.auth;

import io.shutterbus.auth.token.KeySettings;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.HttpSettings;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.config.PgSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The auth service's settings, read once at start; a missing or bad one stops it, naming the variable. */
public record AuthConfig(HttpSettings http, PgSettings pg, KafkaSettings kafka, KeySettings keys, String issuer,
                         String audience, Duration accessTokenTtl, Duration refreshTokenTtl, boolean cookieSecure,
                         Set<String> adminEmails, int hashThreads, int hashMaxPending, int instances) {
  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_MANAGEMENT_PORT = 9081;
  /** Request bodies of the auth API are small JSON documents. */
  public static final int BODY_LIMIT_BYTES = 16 * 1024;

  public static AuthConfig fromEnv(Env env) {
    return new AuthConfig(
        HttpSettings.fromEnv(env, "AUTH", DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT),
        PgSettings.fromEnv(env),
        KafkaSettings.fromEnv(env),
        KeySettings.fromEnv(env),
        env.string("JWT_ISSUER", "shutterbus"),
        env.string("JWT_AUDIENCE", "shutterbus-api"),
        Duration.ofSeconds(env.integer("AUTH_ACCESS_TOKEN_TTL_SECONDS", 900, 60, 3600)),
        Duration.ofHours(env.integer("AUTH_REFRESH_TOKEN_TTL_HOURS", 14 * 24, 1, 90 * 24)),
        env.flag("AUTH_COOKIE_SECURE", false),
        adminEmails(env.string("SHUTTERBUS_ADMIN_EMAILS", "")),
        env.integer("AUTH_HASH_THREADS", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 1, 64),
        env.integer("AUTH_HASH_MAX_PENDING", 128, 1, 10_000),
        env.instances("AUTH_INSTANCES"));
  }

  private static Set<String> adminEmails(String list) {
    return Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
