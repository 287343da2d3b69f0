package io.shutterbus.image.format;

/**
 * The uploaded bytes are not an image Shutterbus takes. {@link Reason} carries the HTTP status the
 * client gets; the message is written for the person who uploaded the file.
 */
public final class RejectedImageException extends Exception {

  /** Why a file was refused, with the status and problem type slug it is answered with. */
  public enum Reason {
    /** Nothing was sent in the file field. */
    EMPTY(400, "invalid-field"),
    /** Not PNG, JPEG, GIF or WebP by its magic bytes, or markup hidden in an image (a polyglot). */
    UNSUPPORTED_TYPE(415, "unsupported-media-type"),
    /** The format is known but its header is truncated or inconsistent, so its size cannot be read. */
    MALFORMED_HEADER(422, "malformed-image"),
    /** The header declares more pixels than the budget (or a zero side). */
    TOO_MANY_PIXELS(422, "too-many-pixels");

    private final int status;
    private final String slug;

    Reason(int status, String slug) {
      this.status = status;
      this.slug = slug;
    }

    public int status() {
      return status;
    }

    public String slug() {
      return slug;
    }
  }

  private final Reason reason;

  public RejectedImageException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public int status() {
    return reason.status();
  }
}
