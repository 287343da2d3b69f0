package io.shutterbus.kit.uploads;

import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Collection;
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
 * {@link UploadLayout} from the validated hash. {@link #resolve} is the one place that says which
 * stored files are public: the image service and, in the one-process platform, the gateway
 * (straight from the store, no proxy hop) both serve through this class. Answers carry a Content-Type fixed by the
 * extension, {@code nosniff}, a CSP that forbids everything ({@code default-src 'none'; sandbox}),
 * a strong ETag (the hash; plus the size for thumbnails) and immutable caching; {@code Range} gives
 * 206 (one range), {@code If-None-Match} 304, and HEAD the headers alone. Files go out with
 * sendfile.
 *
 * <p>The file is opened on the event loop and its size read from the open file: the same open
 * and fstat that {@code sendFile(String)} itself does on the event loop, done once. Asking
 * {@code FileSystem.props} first (as this class did) cost a worker-thread round trip per request,
 * as much CPU as the rest of the request on a 2-core machine, and left a gap between the look and
 * the open in which a deleted file turned into a 500.
 */
public final class UploadServing implements Handler<RoutingContext> {
  public static final String PREFIX = "/uploads/";
  public static final String CSP = "default-src 'none'; sandbox";
  public static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
  private static final Pattern ORIGINAL = Pattern.compile("/uploads/([0-9a-f]{64})\\.(png|jpg|gif|webp)");
  private static final Pattern THUMBNAIL = Pattern.compile("/uploads/thumbs/([1-9][0-9]{0,4})/([0-9a-f]{64})\\.jpg");

  private final UploadLayout layout;
  private final Set<Integer> thumbnailSizes;
  private final String csp;

  public UploadServing(UploadLayout layout, Collection<Integer> thumbnailSizes) {
    this(layout, thumbnailSizes, CSP);
  }

  /** With the Content-Security-Policy files go out with (a front door may add directives to {@link #CSP}). */
  public UploadServing(UploadLayout layout, Collection<Integer> thumbnailSizes, String csp) {
    this.layout = layout;
    this.thumbnailSizes = Set.copyOf(thumbnailSizes);
    this.csp = csp;
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
    RandomAccessFile file;
    long size;
    try {
      // java.io refuses a directory (EISDIR) as it refuses a missing or unreadable file
      file = new RandomAccessFile(blob.path.toFile(), "r");
    } catch (FileNotFoundException e) {
      ctx.fail(notFound());
      return;
    }
    try {
      size = file.length();
    } catch (IOException e) {
      closeQuietly(file);
      ctx.fail(e);
      return;
    }
    send(ctx, blob, file, size);
  }

  /** The public file a raw request path names, or null: the served subtree's only rule. */
  private Blob resolve(String rawPath) {
    if (rawPath == null) {
      return null;
    }
    Matcher original = ORIGINAL.matcher(rawPath);
    if (original.matches()) {
      String extension = original.group(2);
      return new Blob(layout.original(original.group(1), extension),
          UploadLayout.contentType(extension).orElseThrow(), "\"" + original.group(1) + "\"");
    }
    Matcher thumb = THUMBNAIL.matcher(rawPath);
    if (thumb.matches() && thumbnailSizes.contains(Integer.parseInt(thumb.group(1)))) {
      int size = Integer.parseInt(thumb.group(1));
      return new Blob(layout.thumbnail(size, thumb.group(2)), UploadLayout.contentType("jpg").orElseThrow(),
          "\"" + thumb.group(2) + "-" + size + "\"");
    }
    return null;
  }

  /** Answers from an open file; {@code file} is closed once the answer no longer needs it. */
  private void send(RoutingContext ctx, Blob blob, RandomAccessFile file, long size) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse res = ctx.response();
    if (req.method() != HttpMethod.GET) {
      closeQuietly(file);  // HEAD: the headers alone
    }
    if (matchesAny(req.getHeader(HttpHeaders.IF_NONE_MATCH), blob.etag)) {
      closeQuietly(file);
      cachingHeaders(res, blob).setStatusCode(304).end();
      return;
    }
    String ifRange = req.getHeader("If-Range");
    ByteRange.Parsed range = ifRange != null && !ifRange.trim().equals(blob.etag)
        ? new ByteRange.Whole() : ByteRange.parse(req.getHeader("Range"), size);
    if (range instanceof ByteRange.Unsatisfiable) {
      closeQuietly(file);
      res.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
      Problems.send(ctx, ProblemException.of(416, "range-not-satisfiable", "Range Not Satisfiable",
          "The requested range is outside the file's " + size + " bytes."));
      return;
    }
    cachingHeaders(res, blob)
        .putHeader(HttpHeaders.CONTENT_TYPE, blob.contentType)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", csp)
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
    } else if (req.version() == HttpVersion.HTTP_2) {
      // Vert.x 5.0.7 cannot send an open file over HTTP/2 ("does not support sending random access
      // file for now"); by path it can (h2c clients: the gateway's upstream pool, Java's HttpClient).
      closeQuietly(file);
      res.sendFile(blob.path.toString(), offset, length).onComplete(ar -> {
        if (ar.failed() && !res.headWritten()) {
          ctx.fail(ar.cause());
        }
      });
    } else {
      res.sendFile(file, offset, length).onComplete(ar -> {
        closeQuietly(file);
        if (ar.failed() && !res.headWritten()) {
          ctx.fail(ar.cause());
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

  private static void closeQuietly(RandomAccessFile file) {
    try {
      file.close();
    } catch (IOException ignored) {
      // read-only: nothing was written that a failed close could lose
    }
  }

  private static ProblemException notFound() {
    return ProblemException.notFound("No such file.");
  }

  private record Blob(Path path, String contentType, String etag) {
  }
}
