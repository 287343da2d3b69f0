package io.shutterbus.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The API's own description, served by the gateway: {@code GET /api/openapi.yaml} (the contract,
 * {@code gateway-verticle/openapi.yaml}) and {@code GET /api/docs} (the same as a page for people,
 * {@code gateway-verticle/openapi.html}, rendered from it at build time and checked by a test). Both
 * are packaged into the jar, read once at start (off the event loop by Vert.x's file system) and
 * answered from memory with a strong ETag.
 */
public final class ApiDocs {
  static final String SPEC_RESOURCE = "io/shutterbus/gateway/api/openapi.yaml";
  static final String PAGE_RESOURCE = "io/shutterbus/gateway/api/openapi.html";

  private record Document(Buffer body, String contentType, String etag) {
  }

  private final Future<Document> spec;
  private final Future<Document> page;

  /** Starts reading both documents; {@link #loaded()} completes when they are in memory. */
  public ApiDocs(Vertx vertx) {
    this.spec = read(vertx, SPEC_RESOURCE, "application/yaml; charset=utf-8");
    this.page = read(vertx, PAGE_RESOURCE, "text/html; charset=utf-8");
  }

  /** Listen only after this: the routes answer from memory. */
  public Future<Void> loaded() {
    return Future.all(spec, page).mapEmpty();
  }

  /** Adds the two routes, each named by its path (the route label of metrics). */
  public void mount(Router router) {
    router.get("/api/openapi.yaml").setName("/api/openapi.yaml").handler(ctx -> send(ctx, spec.result()));
    router.get("/api/docs").setName("/api/docs").handler(ctx -> send(ctx, page.result()));
  }

  private static Future<Document> read(Vertx vertx, String resource, String contentType) {
    return vertx.fileSystem().readFile(resource)
        .map(body -> new Document(body, contentType, etag(body)));
  }

  private static void send(RoutingContext ctx, Document doc) {
    ctx.response().putHeader("ETag", doc.etag()).putHeader("Cache-Control", "no-cache");
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch != null && (ifNoneMatch.contains(doc.etag()) || ifNoneMatch.trim().equals("*"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("Content-Type", doc.contentType()).end(doc.body());
  }

  private static String etag(Buffer body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body.getBytes());
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
