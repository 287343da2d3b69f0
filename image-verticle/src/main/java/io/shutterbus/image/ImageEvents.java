package io.shutterbus.image;

import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.ImageDeleted;
import io.shutterbus.image.db.DeletedImage;
import io.shutterbus.events.ImageFailed;
import io.shutterbus.events.ImageProcessed;
import io.shutterbus.events.ImagePurpose;
import io.shutterbus.events.ImageUploaded;
import io.shutterbus.image.db.ImageRecord;
import io.shutterbus.image.db.NewImage;
import io.shutterbus.image.serve.ImageUrls;
import io.shutterbus.image.upload.UploadPurpose;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The events the image service and its worker put in the outbox (schema {@code images}). They
 * carry ids, the content hash and public URLs: nothing about the owner beyond their id.
 */
public final class ImageEvents {
  public static final String SERVICE_SOURCE = "/shutterbus/image";
  public static final String WORKER_SOURCE = "/shutterbus/image-worker";

  private ImageEvents() {
  }

  /** {@code images.uploaded} for a new image; its id is the row's pending event id. */
  public static EventEnvelope uploaded(NewImage image, Instant at) {
    return EventEnvelope.of(new ImageUploaded(image.id(), image.ownerId(), image.sha256(), image.format().id(),
        image.bytes(), purpose(image.purpose()), micros(at)), SERVICE_SOURCE, image.uploadEventId(), at);
  }

  /** {@code images.uploaded} again for an image sent back through the pipeline. */
  public static EventEnvelope reprocess(ImageRecord image, UUID eventId, Instant at) {
    return EventEnvelope.of(new ImageUploaded(image.id(), image.ownerId(), image.sha256(), image.format().id(),
        image.bytes(), purpose(image.purpose()), micros(at)), SERVICE_SOURCE, eventId, at);
  }

  /** {@code images.processed} for an image just marked ready: displayed size, thumbnail and original URLs. */
  public static EventEnvelope processed(ImageRecord image, List<Integer> thumbnailSizes, Instant at) {
    Map<Integer, String> thumbs = new TreeMap<>();
    thumbnailSizes.forEach(size -> thumbs.put(size, ImageUrls.thumbnail(size, image.sha256())));
    return EventEnvelope.of(new ImageProcessed(image.id(), image.ownerId(), purpose(image.purpose()), image.width(),
        image.height(), image.format().id(), thumbs, image.url(), micros(at)), WORKER_SOURCE, UUID.randomUUID(), at);
  }

  /** {@code images.failed} for an image just marked failed, with the reason its owner reads. */
  public static EventEnvelope failed(ImageRecord image, Instant at) {
    return EventEnvelope.of(new ImageFailed(image.id(), image.ownerId(), image.failureReason(), micros(at)),
        WORKER_SOURCE, UUID.randomUUID(), at);
  }

  /** {@code images.deleted} for an image its owner just deleted (in the same transaction). */
  public static EventEnvelope deleted(DeletedImage image, Instant at) {
    return EventEnvelope.of(new ImageDeleted(image.id(), image.ownerId(), purpose(image.purpose()),
        ImageUrls.original(image.sha256(), image.format()), micros(at)), SERVICE_SOURCE, UUID.randomUUID(), at);
  }

  static ImagePurpose purpose(UploadPurpose purpose) {
    return ImagePurpose.fromWire(purpose.id());
  }

  private static Instant micros(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }
}
