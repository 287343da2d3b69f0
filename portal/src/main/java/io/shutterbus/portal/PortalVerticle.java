package io.shutterbus.portal;

import io.shutterbus.kit.http.Routers;
import io.shutterbus.kit.http.Servers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.TimeUnit;

/**
 * Serves the web UI from the classpath folder {@code webroot/}. The page itself ({@code /} and every
 * path the client-side router owns) is index.html, revalidated on each load; {@code /assets/**} are
 * the files as they are, revalidated by ETag and Last-Modified. Anything else, an unknown asset
 * included, is a problem+json 404: never a directory listing, never a hidden file.
 */
public final class PortalVerticle extends VerticleBase {
  static final String WEBROOT = "webroot";
  /** Paths the client-side router owns; whatever follows them is the page's business. */
  static final String APP_ROUTES = "/(?:signin|register|profile|gallery)(?:/.*)?";

  private final PortalConfig config;
  private HttpServer server;

  public PortalVerticle(PortalConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return IndexPage.load(vertx, WEBROOT + "/index.html").compose(index -> {
      Router router = Routers.create(vertx);
      router.route().handler(new PortalHeaders());
      for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
        router.route(method, "/").handler(index);
        router.route(method, "/index.html").handler(index);
        router.routeWithRegex(method, APP_ROUTES).setName("app-route").handler(index);
      }
      router.route("/assets/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
          .handler(new AssetValidators(WEBROOT + "/assets"))
          .handler(StaticHandler.create(FileSystemAccess.RELATIVE, WEBROOT + "/assets")
              .setIncludeHidden(false)
              .setDirectoryListing(false)
              .setDefaultContentEncoding("UTF-8")
              .setSendVaryHeader(true));
      return Servers.listen(vertx, new HttpServerOptions().setCompressionSupported(true), router,
          config.http().host(), config.http().port(), config.http().portVariable());
    }).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
