package io.shutterbus.image.render;

/** The stored file is truncated, corrupt, or not what its header promised. Retrying will not help. */
public final class UndecodableImageException extends RenderException {
  public UndecodableImageException(String reason, Throwable cause) {
    super(reason, cause);
  }

  @Override
  public boolean permanent() {
    return true;
  }
}
