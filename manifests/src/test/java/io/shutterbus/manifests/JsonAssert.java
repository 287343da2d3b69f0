package io.shutterbus.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shutterbus.testkit.manifests.Rendered;

/** Assertions several manifest tests share. */
final class JsonAssert {
  private JsonAssert() {
  }

  /** TLS on the Ingress goes with HSTS at the gateway and a Secure refresh cookie, and only then. */
  static void ingressTls(Rendered r, boolean tls) {
    var ingress = r.get("Ingress", "shutterbus");
    assertEquals(tls, ingress.path("spec").has("tls"), r.name() + ": Ingress tls section");
    String gatewayTls = r.env(r.get("Deployment", "gateway"), "gateway").get("GATEWAY_TLS");
    String cookieSecure = r.env(r.get("Deployment", "auth"), "auth").get("AUTH_COOKIE_SECURE");
    assertEquals(String.valueOf(tls), gatewayTls, r.name() + ": GATEWAY_TLS follows the Ingress");
    assertEquals(String.valueOf(tls), cookieSecure, r.name() + ": AUTH_COOKIE_SECURE follows the Ingress");
  }
}
