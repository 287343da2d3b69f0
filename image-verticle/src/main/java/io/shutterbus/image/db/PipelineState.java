package io.shutterbus.image.db;

import java.util.UUID;

/**
 * An image as the worker sees it: the row, the {@code images.uploaded} event whose result it waits
 * for (or carries), and the replayed record that last re-armed it, if any.
 */
public record PipelineState(ImageRecord image, UUID pendingEventId, String replayMarker) {

  /** Whether {@code eventId} is the event this image waits for (else a newer one superseded it). */
  public boolean waitsFor(UUID eventId) {
    return pendingEventId.equals(eventId);
  }
}
