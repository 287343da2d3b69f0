package io.shutterbus.portal;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * index.html, read once at start and held in memory: it is the answer to every app route, so it
 * must not depend on the path asked for. {@code no-cache} makes the browser revalidate it on each
 * load (a 304 by ETag costs nothing), so a new release is picked up at the next reload.
 */
final class IndexPage implements Handler<RoutingContext> {
  private final Buffer body;
  private final String etag;

  private IndexPage(Buffer body) {
    this.body = body;
    this.etag = AssetValidators.etagOf(body);
  }

  static Future<IndexPage> load(Vertx vertx, String resource) {
    return vertx.fileSystem().readFile(resource).map(IndexPage::new);
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.ETAG, etag)
        .putHeader(HttpHeaders.VARY, "accept-encoding");
    if (AssetValidators.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
    if (ctx.request().method() == HttpMethod.HEAD) {
      ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length())).end();
    } else {
      ctx.response().end(body);
    }
  }
}
