package io.shutterbus.kit.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Environment variables, read once at start into typed settings. Every accessor names the variable
 * in its error, so a bad or missing value stops the service with a message that says what to fix.
 */
public final class Env {
  private final Map<String, String> vars;

  private Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public static Env of(Map<String, String> vars) {
    return new Env(vars);
  }

  /** A copy where {@code overrides} win over what this one holds. */
  public Env with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(vars);
    merged.putAll(overrides);
    return new Env(merged);
  }

  /** Adds {@code defaults} only where this one has no non-blank value. */
  public Env withDefaults(Map<String, String> defaults) {
    Map<String, String> merged = new HashMap<>(defaults);
    vars.forEach((k, v) -> {
      if (v != null && !v.isBlank()) {
        merged.put(k, v);
      }
    });
    return new Env(merged);
  }

  public Map<String, String> asMap() {
    return vars;
  }

  public boolean has(String name) {
    String v = vars.get(name);
    return v != null && !v.isBlank();
  }

  public Optional<String> optional(String name) {
    return has(name) ? Optional.of(vars.get(name).trim()) : Optional.empty();
  }

  public String required(String name) {
    return optional(name).orElseThrow(
        () -> new ConfigException("missing required environment variable " + name));
  }

  public String string(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  /**
   * How many instances of a service's HTTP verticle to deploy: the variable when set (1–64), else
   * one per core. Each instance runs on an event loop of its own, so one instance leaves every
   * core but one idle for that service however busy it is.
   */
  public int instances(String name) {
    return integer(name, defaultInstances(), 1, 64);
  }

  /** One per core, at most 64. */
  public static int defaultInstances() {
    return Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));
  }

  public int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public long longValue(String name, long fallback, long min, long max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public int port(String name, int fallback) {
    return integer(name, fallback, 0, 65535);
  }

  public boolean flag(String name, boolean fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name + " must be true or false, got '" + raw.get() + "'");
    };
  }

  public Path path(String name, String fallback) {
    return Path.of(string(name, fallback));
  }

  /** A duration in milliseconds, e.g. {@code GATEWAY_UPSTREAM_TIMEOUT_MS=5000}. */
  public Duration millis(String name, long fallback, long min, long max) {
    return Duration.ofMillis(longValue(name, fallback, min, max));
  }
}
