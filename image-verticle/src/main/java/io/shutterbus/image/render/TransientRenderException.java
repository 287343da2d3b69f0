package io.shutterbus.image.render;

/** Reading the original or writing a thumbnail failed for a reason of the storage (I/O); try again later. */
public final class TransientRenderException extends RenderException {
  public TransientRenderException(String reason, Throwable cause) {
    super(reason, cause);
  }

  @Override
  public boolean permanent() {
    return false;
  }
}
