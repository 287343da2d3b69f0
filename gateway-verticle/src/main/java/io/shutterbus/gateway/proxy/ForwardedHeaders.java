package io.shutterbus.gateway.proxy;

import io.shutterbus.gateway.SecurityHeaders;
import io.shutterbus.kit.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.WebServerRequest;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The header policy between clients and upstreams. Upstreams must never see identity or forwarding
 * headers a client made up (X-User-Id, X-User-Roles, X-Forwarded-*, Forwarded, X-Real-IP...), nor
 * hop-by-hop headers (including those the Connection header names, and Expect, which the gateway
 * answers itself); the gateway sets
 * X-Forwarded-For/Proto/Host itself and passes on the request id it logged under. On the way back,
 * hop-by-hop headers are dropped and the security headers reconciled.
 */
final class ForwardedHeaders implements ProxyInterceptor {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "expect");
  private static final Set<String> CLIENT_IDENTITY = Set.of("forwarded", "x-real-ip", "x-client-ip",
      "true-client-ip", "x-original-forwarded-for", "x-request-id");
  private static final List<String> CLIENT_IDENTITY_PREFIXES = List.of("x-forwarded-", "x-user-", "x-auth-");
  private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,255}");

  private final ClientAddress clients;

  ForwardedHeaders(ClientAddress clients) {
    this.clients = clients;
  }

  static RoutingContext routingContext(ProxyContext pc) {
    return ((WebServerRequest) pc.request().proxiedRequest()).routingContext();
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext pc) {
    RoutingContext ctx = routingContext(pc);
    HttpServerRequest in = pc.request().proxiedRequest();
    MultiMap headers = pc.request().headers();
    stripHopByHop(headers);
    for (String name : Set.copyOf(headers.names())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (CLIENT_IDENTITY.contains(lower) || CLIENT_IDENTITY_PREFIXES.stream().anyMatch(lower::startsWith)) {
        headers.remove(name);
      }
    }
    ClientAddress.Client client = clients.of(ctx);
    headers.set("X-Forwarded-For", client.ip());
    headers.set("X-Forwarded-Proto", client.proto());
    String host = in.authority() == null ? null : in.authority().toString();
    if (host != null && AUTHORITY.matcher(host).matches()) {
      headers.set("X-Forwarded-Host", host);
    }
    headers.set(RequestIds.HEADER, RequestIds.of(ctx));
    return pc.sendRequest();
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext pc) {
    ProxyResponse response = pc.response();
    stripHopByHop(response.headers());
    SecurityHeaders.merge(response.headers(), pc.request().proxiedRequest().response());
    return pc.sendResponse();
  }

  /** Removes hop-by-hop headers and every header the Connection header lists (RFC 9110 7.6.1). */
  static void stripHopByHop(MultiMap headers) {
    List<String> listed = new ArrayList<>();
    for (String value : headers.getAll("Connection")) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          listed.add(token.trim());
        }
      }
    }
    listed.forEach(headers::remove);
    for (String name : Set.copyOf(headers.names())) {
      if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        headers.remove(name);
      }
    }
  }
}
