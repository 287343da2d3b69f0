package io.shutterbus.kit.config;

/**
 * A configuration problem found at start. The message always names the variable to fix, and it is
 * printed as one line by {@link io.shutterbus.kit.run.ServiceRunner} instead of a stack trace.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
