package io.shutterbus.loadtest.gatling;

import java.time.Duration;

/** What loadtest/run passes as system properties: where, how long, how hard, and where to log. */
record RunSettings(String baseUrl, Duration duration, double rate, String requestLog, boolean latencyAssertions) {

  static RunSettings fromSystemProperties() {
    String baseUrl = System.getProperty("baseUrl");
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("set -DbaseUrl=http://host:port (the gateway), e.g. through loadtest/run");
    }
    return new RunSettings(baseUrl.replaceAll("/+$", ""),
        Duration.ofSeconds(positiveLong("durationSeconds", 30)),
        positiveDouble("rate", 1.0),
        System.getProperty("requestLog"),
        !"false".equals(System.getProperty("latencyAssertions")));
  }

  private static long positiveLong(String name, long fallback) {
    double v = positiveDouble(name, fallback);
    return Math.max(1, Math.round(v));
  }

  private static double positiveDouble(String name, double fallback) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      double v = Double.parseDouble(raw);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + name + " must be a positive number, got '" + raw + "'");
  }
}
