package io.shutterbus.gateway.proxy;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who the client is: the socket's peer, unless that peer is one of {@code GATEWAY_TRUSTED_PROXIES}
 * (comma-separated IPs or CIDRs, e.g. the ingress controller's pod network; default none). Only then
 * is X-Forwarded-For read, right to left, skipping trusted hops, and X-Forwarded-Proto believed.
 * Anything a client sends itself is ignored.
 */
public final class ClientAddress {
  private static final String KEY = "gateway.client";
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  private final List<Cidr> trusted;
  private final boolean tls;

  private record Cidr(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      return rest == 0 || ((address[full] ^ network[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
    }
  }

  /** The resolved client: its IP text and the scheme it used. */
  public record Client(String ip, String proto) {
    /** The key rate limits count by: the IP, or its /64 network for IPv6 (one host holds a whole /64). */
    public String limitKey() {
      byte[] a = parse(ip);
      if (a == null || a.length != 16) {
        return ip;
      }
      return String.format("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }
  }

  private ClientAddress(List<Cidr> trusted, boolean tls) {
    this.trusted = trusted;
    this.tls = tls;
  }

  public static ClientAddress fromEnv(Env env, boolean tls) {
    String raw = env.string("GATEWAY_TRUSTED_PROXIES", "");
    List<Cidr> cidrs = new ArrayList<>();
    for (String entry : raw.split(",")) {
      String e = entry.trim();
      if (!e.isEmpty()) {
        cidrs.add(cidr(e));
      }
    }
    return new ClientAddress(List.copyOf(cidrs), tls);
  }

  /** Resolves the client once per request. */
  public Client of(RoutingContext ctx) {
    Client c = ctx.get(KEY);
    if (c == null) {
      c = resolve(ctx.request());
      ctx.put(KEY, c);
    }
    return c;
  }

  private Client resolve(HttpServerRequest req) {
    String peer = req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
    String proto = tls || req.isSSL() ? "https" : "http";
    if (!isTrusted(peer)) {
      return new Client(peer, proto);
    }
    String ip = peer;
    List<String> hops = new ArrayList<>();
    for (String header : req.headers().getAll("X-Forwarded-For")) {
      hops.addAll(Arrays.asList(header.split(",")));
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i).trim();
      if (!LITERAL.matcher(hop).matches() || parse(hop) == null) {
        break;
      }
      ip = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    String forwardedProto = req.getHeader("X-Forwarded-Proto");
    if ("https".equalsIgnoreCase(forwardedProto) || "http".equalsIgnoreCase(forwardedProto)) {
      proto = forwardedProto.toLowerCase();
    }
    return new Client(ip, proto);
  }

  private boolean isTrusted(String ip) {
    if (trusted.isEmpty()) {
      return false;
    }
    byte[] a = parse(ip);
    return a != null && trusted.stream().anyMatch(c -> c.contains(a));
  }

  /** Parses an IP literal without ever touching DNS (InetAddress resolves names, so IPv4 is parsed here). */
  static byte[] parse(String ip) {
    if (ip == null || !LITERAL.matcher(ip).matches()) {
      return null;
    }
    if (ip.indexOf(':') >= 0) {
      try {
        return InetAddress.getByName(ip).getAddress();  // a literal with ':' is never looked up
      } catch (UnknownHostException e) {
        return null;
      }
    }
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static Cidr cidr(String entry) {
    String[] parts = entry.split("/", 2);
    byte[] network = parse(parts[0].trim());
    if (network == null) {
      throw new ConfigException("GATEWAY_TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR");
    }
    int bits = network.length * 8;
    if (parts.length == 2) {
      try {
        bits = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > network.length * 8) {
        throw new ConfigException("GATEWAY_TRUSTED_PROXIES: '" + entry + "' has a bad prefix length");
      }
    }
    return new Cidr(network, bits);
  }
}
