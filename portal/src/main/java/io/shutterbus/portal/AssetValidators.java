package io.shutterbus.portal;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Puts the revalidation headers on an asset before the StaticHandler serves it: {@code no-cache}
 * (file names carry no version, so the browser must ask each time) and an ETag made from the
 * content, so every replica gives the same one. The StaticHandler answers a matching
 * If-None-Match or If-Modified-Since with 304 and adds Last-Modified itself.
 */
final class AssetValidators implements Handler<RoutingContext> {
  /** Path segments of real assets: no dot-files, no "..", nothing a request could escape with. */
  private static final Pattern ASSET = Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*");
  private final String root;
  private final Map<String, String> etags = new ConcurrentHashMap<>();

  AssetValidators(String root) {
    this.root = root;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String rest = ctx.pathParam("*");
    if (rest == null || !ASSET.matcher(rest).matches() || rest.contains("..")) {
      ctx.next();
      return;
    }
    String known = etags.get(rest);
    if (known != null) {
      withHeaders(ctx, known);
      return;
    }
    ctx.request().pause();
    ctx.vertx().fileSystem().readFile(root + "/" + rest).onComplete(ar -> {
      ctx.request().resume();
      if (ar.failed()) {
        ctx.next();   // not a file: the StaticHandler turns it into a 404
        return;
      }
      String etag = etagOf(ar.result());
      etags.put(rest, etag);
      withHeaders(ctx, etag);
    });
  }

  private static void withHeaders(RoutingContext ctx, String etag) {
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "public, no-cache").putHeader(HttpHeaders.ETAG, etag);
    ctx.next();
  }

  /** Weak, because compression on the wire changes the bytes but not the content. */
  static String etagOf(Buffer content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes());
      return "W/\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** If-None-Match uses the weak comparison: opaque tags equal, W/ ignored; "*" matches anything. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(bare)) {
        return true;
      }
    }
    return false;
  }
}
