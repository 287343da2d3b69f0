package io.shutterbus.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.gateway.limit.Limits;
import io.shutterbus.gateway.limit.LoginGuard;
import io.shutterbus.gateway.limit.RateLimitHandler;
import io.shutterbus.gateway.admin.AdminEventsApi;
import io.shutterbus.gateway.api.ApiDocs;
import io.shutterbus.gateway.live.EventStreamHandler;
import io.shutterbus.gateway.proxy.UpstreamProxy;
import io.shutterbus.kit.auth.BearerAuthHandler;
import io.shutterbus.kit.auth.JwksVerifier;
import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.http.Servers;
import io.shutterbus.kit.uploads.UploadLayout;
import io.shutterbus.kit.uploads.UploadServing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one public entry. Each route is a fixed template (so metrics get bounded labels): auth calls
 * and /api/me go to auth, images and their files to image, everything outside /api to the portal,
 * any other /api path is a problem+json 404. Tokens are checked here for /api/me, /api/images and
 * the live stream /api/events/stream, which the gateway serves itself;
 * login and register are rate limited; bodies stream through, within their limits.
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final Limits limits;
  private final MeterRegistry registry;
  private HttpServer server;
  private Router router;
  private HttpClient client;
  private JwksVerifier verifier;
  private List<UpstreamProxy> upstreams = List.of();
  private EventStreamHandler streams;
  private AdminEventsApi adminEvents;

  public GatewayVerticle(GatewayConfig config, Limits limits, MeterRegistry registry) {
    this.config = config;
    this.limits = limits;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    GatewayMetrics metrics = new GatewayMetrics(registry);
    client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
            .setKeepAlive(true).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS),
        new PoolOptions().setHttp1MaxSize(config.proxy().poolSize()).setMaxWaitQueueSize(config.proxy().queueSize()));
    UpstreamProxy auth = new UpstreamProxy(vertx, client, config.auth(), config.proxy(), config.clients(), metrics);
    UpstreamProxy image = new UpstreamProxy(vertx, client, config.image(), config.proxy(), config.clients(), metrics);
    UpstreamProxy portal = new UpstreamProxy(vertx, client, config.portal(), config.proxy(), config.clients(), metrics);
    upstreams = List.of(auth, image, portal);
    verifier = JwksVerifier.create(vertx, config.jwt());
    BearerAuthHandler bearer = BearerAuthHandler.create(verifier, config.auth().name());
    long body = config.maxBodyBytes();
    streams = new EventStreamHandler(vertx, config.sseHeartbeat(), config.sseMaxPerUser(), limits.streams());

    Router router = Routers.create(vertx);
    router.route().handler(new SecurityHeaders(config.tls()));
    router.route().handler(config.crossSite());
    // Each route is named by its template: that name is the only route label metrics get.
    router.post("/api/auth/login").setName("/api/auth/login")
        .handler(new RateLimitHandler(limits.loginPerIp(), "login_ip", config.clients(), metrics))
        .handler(new LoginGuard(limits.loginBackoff(), config.loginMaxBodyBytes(), metrics))
        .handler(auth.forward(config.loginMaxBodyBytes()));
    router.post("/api/auth/register").setName("/api/auth/register")
        .handler(new RateLimitHandler(limits.registerPerIp(), "register_ip", config.clients(), metrics))
        .handler(auth.forward(body));
    router.route("/api/auth/*").setName("/api/auth/*").handler(auth.forward(body));
    router.route("/api/me").setName("/api/me").handler(bearer).handler(auth.forward(body));
    router.route("/api/images/*").setName("/api/images/*").handler(bearer).handler(image.forward(config.uploadLimitBytes()));
    mountUploads(router, image, body);
    router.get("/api/events/stream").setName("/api/events/stream").handler(bearer).handler(streams);
    adminEvents = AdminEventsApi.shared(vertx, config.kafka(), 4, config.sseHeartbeat());
    adminEvents.mount(router, bearer);
    ApiDocs apiDocs = new ApiDocs(vertx);
    apiDocs.mount(router);
    router.route("/api/*").setName("/api/*").handler(ctx -> ctx.fail(404));
    router.route("/*").setName("/*").handler(portal.forward(body));

    // No compression here: upstreams compress what is worth it, and images are compressed already.
    return apiDocs.loaded().compose(v -> Servers.listen(vertx, new HttpServerOptions().setCompressionSupported(false)
                .setIdleTimeout(config.clientIdleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS),
            router, config.http().host(), config.http().port(), config.http().portVariable()))
        .onSuccess(s -> {
          server = s;
          this.router = router;
        });
  }

  /**
   * Public image files: from the store with sendfile when the gateway can read it (one process, or
   * a shared read-only volume), by the very code the image service serves them with; otherwise
   * proxied to the image service. Files are immutable and content-addressed, so there is nothing
   * the image service would add by being asked.
   */
  private void mountUploads(Router router, UpstreamProxy image, long body) {
    if (config.uploadsDir().isEmpty()) {
      router.route("/uploads/*").setName("/uploads/*").handler(image.forward(body));
      return;
    }
    UploadServing files = new UploadServing(UploadLayout.under(config.uploadsDir().get()),
        UploadLayout.THUMBNAIL_SIZES, SecurityHeaders.forbiddingFraming(UploadServing.CSP));
    router.route("/uploads/*").setName("/uploads/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files);
    router.route("/uploads/*").setName("/uploads/*").handler(ctx -> ctx.fail(405));
  }

  @Override
  public Future<?> stop() {
    if (streams != null) {
      streams.closeAll();  // live streams never end by themselves; the drain below would wait for them
    }
    Future<?> drained = server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    if (adminEvents != null) {
      adminEvents.close();
    }
    return drained.eventually(() -> {
      upstreams.forEach(UpstreamProxy::close);
      if (verifier != null) {
        verifier.close();
      }
      return client == null ? Future.succeededFuture() : client.close();
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The routes as registered, once started: the OpenAPI contract test compares them with the spec. */
  public Router router() {
    return router;
  }
}
