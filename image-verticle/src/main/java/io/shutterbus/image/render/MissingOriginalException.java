package io.shutterbus.image.render;

/** The original is not in the store, usually because its image was deleted meanwhile. Retrying will not help. */
public final class MissingOriginalException extends RenderException {
  public MissingOriginalException(String reason, Throwable cause) {
    super(reason, cause);
  }

  @Override
  public boolean permanent() {
    return true;
  }
}
