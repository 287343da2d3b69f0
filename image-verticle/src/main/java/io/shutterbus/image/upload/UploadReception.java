package io.shutterbus.image.upload;

import static io.shutterbus.image.upload.UploadReceiver.DRAIN_GRACE_MS;
import static io.shutterbus.image.upload.UploadReceiver.FILE_FIELD;
import static io.shutterbus.image.upload.UploadReceiver.MULTIPART_SLACK;
import static io.shutterbus.image.upload.UploadReceiver.PURPOSE_FIELD;
import static io.shutterbus.image.upload.UploadReceiver.field;
import static io.shutterbus.image.upload.UploadReceiver.humanBytes;
import static io.shutterbus.image.upload.UploadReceiver.toProblem;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.format.ImageHeader;
import io.shutterbus.image.format.ImageSniffer;
import io.shutterbus.image.format.RejectedImageException;
import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being received by {@link UploadReceiver}: the state of its single upload (temp file,
 * digest, byte count, head bytes for sniffing) and how it ends. Every callback runs on the
 * request's event loop, so no field needs synchronisation.
 */
final class UploadReception {
  private static final Logger LOG = LoggerFactory.getLogger(UploadReceiver.class);
  private final Vertx vertx;
  private final UploadLimits limits;
  private final ImageSniffer sniffer;
  private final Path tempFile;
  private final RoutingContext ctx;
  private final HttpServerRequest request;
  private final Promise<ReceivedUpload> result = Promise.promise();
  private final MessageDigest sha256 = newDigest();
  private byte[] head;
  private int headLength;
  private long bytes;
  private ImageFormat format;
  private ImageHeader header;
  private HttpServerFileUpload upload;
  private AsyncFile file;
  private Future<Void> fileClosed;
  private boolean fileReady;
  private boolean requestEnded;
  private boolean done;
  private Promise<Void> drained;

  UploadReception(Vertx vertx, Path tempFile, UploadLimits limits, ImageSniffer sniffer, RoutingContext ctx) {
    this.vertx = vertx;
    this.tempFile = tempFile;
    this.limits = limits;
    this.sniffer = sniffer;
    this.ctx = ctx;
    this.request = ctx.request();
  }

  Future<ReceivedUpload> start() {
    request.exceptionHandler(this::onStreamError);
    request.endHandler(v -> onRequestEnd());
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      reject(new ProblemException(415, Problems.type("unsupported-media-type"), "Unsupported Media Type",
          "Send the image as multipart/form-data in the field '" + FILE_FIELD + "'.", field(FILE_FIELD)));
    } else if (declaredLength() > limits.maxUploadBytes() + MULTIPART_SLACK) {
      reject(tooLarge());
    } else {
      if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
        request.response().writeContinue();
      }
      request.setExpectMultipart(true);
      request.uploadHandler(this::onUpload);
    }
    request.resume();
    return result.future();
  }

  private void onUpload(HttpServerFileUpload part) {
    if (done) {
      part.handler(this::drop);
      return;
    }
    if (!FILE_FIELD.equals(part.name()) || upload != null) {
      part.handler(this::drop);
      reject(ProblemException.invalidField(FILE_FIELD, upload != null
          ? "Send one image per request."
          : "Only the file field '" + FILE_FIELD + "' is accepted."));
      return;
    }
    upload = part;
    part.pause();
    part.handler(this::onChunk);
    part.endHandler(v -> onUploadEnd());
    part.exceptionHandler(this::onStreamError);
    vertx.fileSystem().open(tempFile.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
        .onSuccess(opened -> {
          file = opened;
          if (done) {
            discardFile();
          } else {
            part.resume();
          }
        })
        .onFailure(this::onStorageError);
  }

  private void onChunk(Buffer chunk) {
    if (done) {
      return;
    }
    bytes += chunk.length();
    if (bytes > limits.maxUploadBytes() || request.bytesRead() > limits.maxUploadBytes() + MULTIPART_SLACK) {
      reject(tooLarge());
      return;
    }
    byte[] data = chunk.getBytes();
    try {
      sniffHead(data);
    } catch (RejectedImageException e) {
      reject(toProblem(e));
      return;
    }
    sha256.update(data);
    file.write(chunk).onFailure(this::onStorageError);
    if (file.writeQueueFull()) {
      upload.pause();
      file.drainHandler(v -> {
        if (!done) {
          upload.resume();
        }
      });
    }
  }

  /** Keeps the first bytes; refuses a wrong signature at once, reads the size when the head window is full. */
  private void sniffHead(byte[] data) throws RejectedImageException {
    if (header != null || headLength == ImageSniffer.HEAD_WINDOW) {
      return;
    }
    if (head == null) {
      head = new byte[ImageSniffer.HEAD_WINDOW];
    }
    int n = Math.min(data.length, head.length - headLength);
    System.arraycopy(data, 0, head, headLength, n);
    headLength += n;
    if (format == null) {
      format = sniffer.signature(head, headLength, false).orElse(null);
    }
    if (format != null && headLength == head.length) {
      header = sniffer.sniff(head, headLength, false).orElse(null);  // null: read it from the file at the end
    }
  }

  private void onUploadEnd() {
    if (done) {
      return;
    }
    closeFile(true).compose(v -> header != null ? Future.succeededFuture(header) : sniffComplete())
        .onSuccess(h -> {
          header = h;
          fileReady = true;
          tryComplete();
        })
        .onFailure(err -> {
          if (err instanceof RejectedImageException rejected) {
            reject(toProblem(rejected));
          } else {
            onStorageError(err);
          }
        });
  }

  private Future<ImageHeader> sniffComplete() {
    if (bytes <= headLength) {
      try {
        return Future.succeededFuture(sniffer.sniff(head == null ? new byte[0] : head, headLength, true).orElseThrow());
      } catch (RejectedImageException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> sniffer.sniff(tempFile), false);
  }

  private void onRequestEnd() {
    requestEnded = true;
    if (drained != null) {
      drained.tryComplete();
    }
    if (!done && upload == null) {
      reject(ProblemException.invalidField(FILE_FIELD,
          "Attach the image as a file in the multipart field '" + FILE_FIELD + "'."));
    } else {
      tryComplete();
    }
  }

  private void tryComplete() {
    if (done || !requestEnded || !fileReady) {
      return;
    }
    String rawPurpose = request.getFormAttribute(PURPOSE_FIELD);
    Optional<UploadPurpose> purpose = rawPurpose == null || rawPurpose.isBlank()
        ? Optional.of(UploadPurpose.GALLERY) : UploadPurpose.fromId(rawPurpose);
    if (purpose.isEmpty()) {
      reject(ProblemException.invalidField(PURPOSE_FIELD, "purpose must be 'avatar' or left out."));
      return;
    }
    done = true;
    result.complete(new ReceivedUpload(tempFile, HexFormat.of().formatHex(sha256.digest()), bytes,
        header.format(), header.width(), header.height(), purpose.get()));
  }

  private void onStreamError(Throwable err) {
    if (done) {
      return;
    }
    if (request.connection() == null || isClosed(err)) {
      LOG.debug("upload aborted by the client: {}", err.toString());
      done = true;
      discardFile();
      result.tryFail(ProblemException.badRequest("The upload was interrupted."));
    } else {
      LOG.debug("malformed upload: {}", err.toString());
      reject(ProblemException.badRequest("The multipart body is malformed or a form field is too large."));
    }
  }

  private void onStorageError(Throwable err) {
    if (done) {
      return;
    }
    LOG.warn("cannot write an upload to the store's temp directory: {}", err.toString());
    reject(ProblemException.unavailable("image-store", "The image store is unavailable right now; try again in a moment."));
  }

  /** Refuses the upload; if its body is still coming, drops the rest and closes the connection after the answer. */
  private void reject(ProblemException problem) {
    if (done) {
      return;
    }
    done = true;
    discardFile();
    if (upload != null) {
      upload.handler(this::drop);
      upload.resume();
    }
    if (!request.isEnded()) {
      closeAfterAnswer();
    }
    result.tryFail(problem);
  }

  private void closeAfterAnswer() {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    drained = Promise.promise();
    Promise<Void> answered = Promise.promise();
    ctx.addEndHandler(ar -> answered.tryComplete());
    long graceTimer = vertx.setTimer(DRAIN_GRACE_MS, t -> drained.tryComplete());
    long hardTimer = vertx.setTimer(DRAIN_GRACE_MS * 5, t -> answered.tryComplete());
    Future.all(drained.future(), answered.future()).onComplete(x -> {
      vertx.cancelTimer(graceTimer);
      vertx.cancelTimer(hardTimer);
      if (request.connection() != null) {
        request.connection().close();
      }
    });
    if (requestEnded) {
      drained.tryComplete();
    }
  }

  /** Closes the temp file once, forcing it to disk first when it is to be kept. */
  private Future<Void> closeFile(boolean force) {
    if (fileClosed == null) {
      fileClosed = force ? file.flush().eventually(() -> file.close()) : file.close();
    }
    return fileClosed;
  }

  private void discardFile() {
    if (file == null && upload == null) {
      return;
    }
    Future<Void> closed = file == null ? Future.succeededFuture() : closeFile(false).recover(e -> Future.succeededFuture());
    closed.compose(v -> vertx.fileSystem().delete(tempFile.toString()))
        .onFailure(e -> LOG.debug("temp upload already gone: {}", e.toString()));
  }

  private void drop(Buffer ignored) {
    // the rest of a refused body is read and thrown away until the connection closes
  }

  private long declaredLength() {
    String raw = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return raw == null ? -1 : Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private ProblemException tooLarge() {
    long limit = limits.maxUploadBytes();
    return new ProblemException(413, Problems.type("payload-too-large"), "Payload Too Large",
        "The image is larger than " + humanBytes(limit) + "; send a smaller file.",
        field(FILE_FIELD).put("limitBytes", limit));
  }

  private static boolean isClosed(Throwable err) {
    String name = err.getClass().getSimpleName();
    return name.contains("Closed") || String.valueOf(err.getMessage()).contains("closed");
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
