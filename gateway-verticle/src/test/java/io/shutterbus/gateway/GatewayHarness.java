package io.shutterbus.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shutterbus.gateway.limit.Limits;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.metrics.Metrics;
import io.shutterbus.kit.mgmt.ManagementVerticle;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.TestTokens;
import io.shutterbus.testkit.TestTokens.SigningKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gateway on real sockets in front of real upstream servers (echoing, silent, hanging up, or a
 * closed port) and a real JWKS endpoint, with its own metrics registry. Test clients use a Vert.x
 * of their own.
 */
final class GatewayHarness {
  static final String ISSUER = "shutterbus";
  static final String AUDIENCE = "shutterbus-api";
  static final SigningKey KEY = TestTokens.es256("gw-k1");

  final PrometheusMeterRegistry registry = Metrics.newRegistry();
  final Vertx vertx = Metrics.newVertx(registry);
  final Vertx clientVertx = Vertx.vertx();
  final EchoUpstream auth = new EchoUpstream("auth");
  final EchoUpstream image = new EchoUpstream("image");
  final EchoUpstream portal = new EchoUpstream("portal");
  final OddUpstreams.Silent silent = new OddUpstreams.Silent();
  final OddUpstreams.Hangup hangup = new OddUpstreams.Hangup();
  final OddUpstreams.Jwks jwks = new OddUpstreams.Jwks(KEY);
  final String closedUrl = "http://127.0.0.1:" + FreePorts.next();
  WebClient client;
  GatewayConfig config;
  int port;
  int managementPort;
  String gatewayDeployment;

  /** Starts everything; {@code overrides} sees the started upstreams and returns env to change. */
  static GatewayHarness start(Function<GatewayHarness, Map<String, String>> overrides) throws Exception {
    GatewayHarness h = new GatewayHarness();
    for (var v : new io.vertx.core.Deployable[]{h.auth, h.image, h.portal, h.silent, h.hangup, h.jwks}) {
      h.vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
    }
    Map<String, String> env = new HashMap<>(Map.of(
        "SHUTTERBUS_BIND_HOST", "127.0.0.1", "GATEWAY_PORT", "0", "GATEWAY_MANAGEMENT_PORT", "0",
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9",
        "AUTH_URL", h.auth.url(), "IMAGE_URL", h.image.url(), "PORTAL_URL", h.portal.url(),
        "AUTH_JWKS_URL", h.jwks.url()));
    env.putAll(overrides.apply(h));
    h.config = GatewayConfig.fromEnv(Env.of(env));
    Limits limits = Limits.create(h.config.limits());
    java.util.List<GatewayVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    h.gatewayDeployment = h.vertx.deployVerticle(() -> {
      GatewayVerticle gateway = new GatewayVerticle(h.config, limits, h.registry);
      instances.add(gateway);
      return gateway;
    }, new io.vertx.core.DeploymentOptions().setInstances(h.config.instances())).await(10, TimeUnit.SECONDS);
    h.port = instances.get(0).actualPort();
    ManagementVerticle mgmt = new ManagementVerticle(GatewayService.NAME, "127.0.0.1", 0,
        "GATEWAY_MANAGEMENT_PORT", null, null, h.registry);
    h.vertx.deployVerticle(mgmt).await(10, TimeUnit.SECONDS);
    h.managementPort = mgmt.actualPort();
    h.client = WebClient.create(h.clientVertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(h.port).setKeepAlive(false));
    return h;
  }

  static String token(String subject) {
    return KEY.sign(claims(subject));
  }

  static TestTokens.Claims claims(String subject) {
    return TestTokens.claims(ISSUER, AUDIENCE, subject);
  }

  static String newUser() {
    return UUID.randomUUID().toString();
  }

  HttpRequest<Buffer> get(String uri) {
    return client.get(uri);
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> req) throws Exception {
    return req.send().await(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  String scrapeMetrics() throws Exception {
    WebClient mgmt = WebClient.create(clientVertx);
    try {
      return await(mgmt.get(managementPort, "127.0.0.1", "/metrics").send()).bodyAsString();
    } finally {
      mgmt.close();
    }
  }

  void close() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(15, TimeUnit.SECONDS);
  }
}
