package io.shutterbus.gateway;

import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.http.Servers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/** The one public entry. Every unknown path is a problem+json 404. */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private HttpServer server;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Router router = Routers.create(vertx);
    router.route().handler(new SecurityHeaders(false));
    return Servers.listen(vertx, new HttpServerOptions().setCompressionSupported(true), router,
            config.http().host(), config.http().port(), config.http().portVariable())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
  }
}
