package io.shutterbus.image.upload;

import io.shutterbus.image.format.ImageSniffer;
import io.shutterbus.image.format.RejectedImageException;
import io.shutterbus.image.store.ContentStore;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Streams the multipart field {@code image} of a request to a temp file in the content store while
 * hashing (SHA-256) and counting it, and checks it on the way: 413 as soon as the byte limit is
 * passed, 415 as soon as the first bytes are no PNG/JPEG/GIF/WebP signature, 422 when the header
 * declares more pixels than the budget. Memory use is bounded (64 KiB of head per upload); the
 * client's file name is never used. When a request is refused before its body has been read, the
 * answer carries {@code Connection: close} and the connection is closed after it (at most
 * {@link #DRAIN_GRACE_MS} later), so a client that keeps sending is neither read forever nor left
 * hanging.
 *
 * <p>Use it as the first reader of the request: no BodyHandler on the route, and if an async step
 * (a token check) runs before it, that step must {@code ctx.request().pause()} first; this class
 * resumes the request. The HTTP server must keep {@code handle100ContinueAutomatically} false (the
 * default): a client that asks for 100-continue gets it only when the declared length is acceptable.
 * A failed future carries a {@link ProblemException}: pass it to {@code ctx.fail}.
 */
public final class UploadReceiver {
  public static final String FILE_FIELD = "image";
  public static final String PURPOSE_FIELD = "purpose";
  /** Room for boundaries, part headers and the purpose field on top of the file bytes. */
  public static final long MULTIPART_SLACK = 64 * 1024;
  /** How long the rest of a refused body is read (and dropped) so the client sees the answer. */
  public static final long DRAIN_GRACE_MS = 2000;

  private final Vertx vertx;
  private final ContentStore store;
  private final UploadLimits limits;
  private final ImageSniffer sniffer;

  public UploadReceiver(Vertx vertx, ContentStore store, UploadLimits limits) {
    this.vertx = vertx;
    this.store = store;
    this.limits = limits;
    this.sniffer = new ImageSniffer(limits.maxPixels());
  }

  /** Reads the request's upload. Completes when the whole request has been read and the file is on disk. */
  public Future<ReceivedUpload> receive(RoutingContext ctx) {
    return new UploadReception(vertx, store.newTempFile(), limits, sniffer, ctx).start();
  }

  static ProblemException toProblem(RejectedImageException e) {
    String title = switch (e.status()) {
      case 400 -> "Invalid field";
      case 415 -> "Unsupported Media Type";
      default -> "Unprocessable Content";
    };
    return new ProblemException(e.status(), Problems.type(e.reason().slug()), title, e.getMessage(), field(FILE_FIELD));
  }

  static JsonObject field(String name) {
    return new JsonObject().put("field", name);
  }

  static String humanBytes(long n) {
    if (n % (1024 * 1024) == 0) {
      return (n / (1024 * 1024)) + " MiB";
    }
    if (n % 1024 == 0) {
      return (n / 1024) + " KiB";
    }
    return n + " bytes";
  }
}
