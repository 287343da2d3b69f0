package io.shutterbus.image.render;

/**
 * Why rendering an image failed. {@link #permanent()} tells a worker whether trying again can help:
 * a file that cannot be decoded never will be, a storage hiccup may pass. {@link #reason()} is
 * written for the image's owner and safe to show and to put in an event.
 */
public abstract sealed class RenderException extends Exception
    permits UndecodableImageException, MissingOriginalException, TransientRenderException {

  protected RenderException(String reason, Throwable cause) {
    super(reason, cause);
  }

  public String reason() {
    return getMessage();
  }

  public abstract boolean permanent();
}
