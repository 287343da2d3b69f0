package io.shutterbus.image.worker;

import java.util.UUID;

/**
 * Runs on the render thread after an image was decoded and its thumbnails written, before its
 * result is committed. Production runs {@link #NONE}; tests pass their own to stop a worker in the
 * middle of a job (block here, then kill the worker) and prove nothing is lost or doubled.
 */
@FunctionalInterface
public interface RenderHook {
  RenderHook NONE = imageId -> { };

  void rendered(UUID imageId) throws Exception;
}
