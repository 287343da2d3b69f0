package io.shutterbus.gateway.proxy;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.net.URI;

/** A service the gateway forwards to, by the name its errors and metrics use (e.g. {@code auth}). */
public record Upstream(String name, String host, int port, boolean ssl) {

  /** Reads an {@code http(s)://host[:port]} base URL such as {@code AUTH_URL}; a path is not allowed. */
  public static Upstream fromEnv(Env env, String name, String variable, String fallback) {
    String raw = env.string(variable, fallback);
    URI uri;
    try {
      uri = URI.create(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variable + " must be an http(s) base URL such as " + fallback + ", got '" + raw + "'");
    }
    boolean ssl = "https".equals(uri.getScheme());
    boolean pathless = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
    if (uri.getHost() == null || !(ssl || "http".equals(uri.getScheme())) || !pathless || uri.getRawQuery() != null) {
      throw new ConfigException(variable + " must be an http(s) base URL such as " + fallback + ", got '" + raw + "'");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    return new Upstream(name, uri.getHost(), port, ssl);
  }

  @Override
  public String toString() {
    return name + " (" + (ssl ? "https" : "http") + "://" + host + ":" + port + ")";
  }
}
