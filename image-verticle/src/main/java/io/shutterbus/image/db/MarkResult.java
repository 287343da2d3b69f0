package io.shutterbus.image.db;

/**
 * What marking an image ready or failed did. Only {@link Outcome#UPDATED} should emit an event;
 * every other outcome means "nothing to do, commit the offset".
 *
 * @param image the row after the update (UPDATED), as it stands (ALREADY_APPLIED, SUPERSEDED), or null (NOT_FOUND)
 */
public record MarkResult(Outcome outcome, ImageRecord image) {

  public enum Outcome {
    /** The row now carries this event's result. */
    UPDATED,
    /** This event's result was applied before: a redelivery. */
    ALREADY_APPLIED,
    /** The image waits for another event now (reprocessed since) or is no longer processing. */
    SUPERSEDED,
    /** The image was deleted. */
    NOT_FOUND
  }

  public boolean updated() {
    return outcome == Outcome.UPDATED;
  }
}
