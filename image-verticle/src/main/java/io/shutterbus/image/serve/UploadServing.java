package io.shutterbus.image.serve;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.file.FileProps;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves stored blobs with no database on the path:
 * {@code GET|HEAD /uploads/{sha256}.{png|jpg|gif|webp}} and
 * {@code GET|HEAD /uploads/thumbs/{size}/{sha256}.jpg}.
 *
 * <p>The raw request path must match one of two strict patterns, so a traversal, an encoded dot,
 * an upper-case hash or a directory is a 404 and nothing is ever listed; the file path is built by
 * {@link ContentStore} from the validated hash. Answers carry a Content-Type fixed by the
 * extension, {@code nosniff}, a CSP that forbids everything ({@code default-src 'none'; sandbox}),
 * a strong ETag (the hash; plus the size for thumbnails) and immutable caching; {@code Range} gives
 * 206 (one range), {@code If-None-Match} 304, and HEAD the headers alone. Files go out with
 * sendfile.
 */
public final class UploadServing implements Handler<RoutingContext> {
  public static final String PREFIX = "/uploads/";
  public static final String CSP = "default-src 'none'; sandbox";
  public static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
  private static final Pattern ORIGINAL = Pattern.compile("/uploads/([0-9a-f]{64})\\.(png|jpg|gif|webp)");
  private static final Pattern THUMBNAIL = Pattern.compile("/uploads/thumbs/([1-9][0-9]{0,4})/([0-9a-f]{64})\\.jpg");

  private final ContentStore store;
  private final Set<Integer> thumbnailSizes;

  public UploadServing(ContentStore store, Set<Integer> thumbnailSizes) {
    this.store = store;
    this.thumbnailSizes = Set.copyOf(thumbnailSizes);
  }

  /** Adds GET and HEAD on {@code /uploads/*} to {@code router}; other methods get the router's 405. */
  public UploadServing mount(Router router) {
    router.route(PREFIX + "*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this);
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Blob blob = resolve(ctx.request().path());
    if (blob == null) {
      ctx.fail(notFound());
      return;
    }
    ctx.vertx().fileSystem().props(blob.path.toString()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(isMissing(ar.cause()) ? notFound() : ar.cause());
      } else if (!ar.result().isRegularFile()) {
        ctx.fail(notFound());
      } else {
        send(ctx, blob, ar.result());
      }
    });
  }

  private Blob resolve(String rawPath) {
    if (rawPath == null) {
      return null;
    }
    Matcher original = ORIGINAL.matcher(rawPath);
    if (original.matches()) {
      ImageFormat format = ImageFormat.fromExtension(original.group(2)).orElseThrow();
      return new Blob(store.originalPath(original.group(1), format), format.contentType(),
          "\"" + original.group(1) + "\"");
    }
    Matcher thumb = THUMBNAIL.matcher(rawPath);
    if (thumb.matches() && thumbnailSizes.contains(Integer.parseInt(thumb.group(1)))) {
      int size = Integer.parseInt(thumb.group(1));
      return new Blob(store.thumbnailPath(size, thumb.group(2)), ImageFormat.JPEG.contentType(),
          "\"" + thumb.group(2) + "-" + size + "\"");
    }
    return null;
  }

  private static void send(RoutingContext ctx, Blob blob, FileProps props) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse res = ctx.response();
    long size = props.size();
    if (matchesAny(req.getHeader(HttpHeaders.IF_NONE_MATCH), blob.etag)) {
      cachingHeaders(res, blob).setStatusCode(304).end();
      return;
    }
    String ifRange = req.getHeader("If-Range");
    ByteRange.Parsed range = ifRange != null && !ifRange.trim().equals(blob.etag)
        ? new ByteRange.Whole() : ByteRange.parse(req.getHeader("Range"), size);
    if (range instanceof ByteRange.Unsatisfiable) {
      res.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
      Problems.send(ctx, ProblemException.of(416, "range-not-satisfiable", "Range Not Satisfiable",
          "The requested range is outside the file's " + size + " bytes."));
      return;
    }
    cachingHeaders(res, blob)
        .putHeader(HttpHeaders.CONTENT_TYPE, blob.contentType)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    long offset = 0;
    long length = size;
    if (range instanceof ByteRange.Partial partial) {
      offset = partial.range().start();
      length = partial.range().length();
      res.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE,
          "bytes " + offset + "-" + partial.range().end() + "/" + size);
    }
    if (req.method() == HttpMethod.HEAD) {
      res.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
    } else {
      res.sendFile(blob.path.toString(), offset, length).onFailure(err -> {
        if (!res.headWritten()) {
          ctx.fail(err);
        }
      });
    }
  }

  private static HttpServerResponse cachingHeaders(HttpServerResponse res, Blob blob) {
    return res.putHeader(HttpHeaders.ETAG, blob.etag).putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
  }

  /** If-None-Match uses the weak comparison: W/"x" matches "x"; "*" matches any existing file. */
  static boolean matchesAny(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMissing(Throwable err) {
    for (Throwable c = err; c != null; c = c.getCause()) {
      if (c instanceof NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  private static ProblemException notFound() {
    return ProblemException.notFound("No such file.");
  }

  private record Blob(Path path, String contentType, String etag) {
  }
}
