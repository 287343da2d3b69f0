package io.shutterbus.image.upload;

import io.shutterbus.image.format.MetadataStripper;
import io.shutterbus.image.render.ExifFacts;
import io.shutterbus.image.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a received upload into what the store keeps: the same pixels without the metadata beside
 * them ({@link MetadataStripper}), named by the SHA-256 of those stored bytes. The content address
 * is thus of what anyone can fetch, and an upload of the same photo twice (or once with and once
 * without its EXIF) still lands on one blob. The camera and date shown to the owner are read first
 * and travel in {@link ReceivedUpload#exifFacts()}; the orientation stays in the file.
 *
 * <p>Blocking (reads and writes the file once): call it on a worker thread.
 */
public final class UploadStripper {
  private final ContentStore store;

  public UploadStripper(ContentStore store) {
    this.store = store;
  }

  /** The stripped upload; the received temp file is deleted unless it already had nothing to strip. */
  public ReceivedUpload strip(ReceivedUpload received) throws IOException {
    ExifFacts facts = ExifFacts.read(received.tempFile(), received.format());
    Path copy = store.newTempFile();
    MetadataStripper.Stripped stripped;
    try {
      stripped = MetadataStripper.strip(received.tempFile(), copy, received.format(), facts.orientation());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    if (stripped.sha256().equals(received.sha256())) {
      Files.deleteIfExists(copy);
      return withFacts(received, received.tempFile(), received.sha256(), received.bytes(), facts);
    }
    Files.deleteIfExists(received.tempFile());
    return withFacts(received, copy, stripped.sha256(), stripped.bytes(), facts);
  }

  private static ReceivedUpload withFacts(ReceivedUpload r, Path file, String sha256, long bytes, ExifFacts facts) {
    return new ReceivedUpload(file, sha256, bytes, r.format(), r.width(), r.height(), r.purpose(), facts.ownerFacts());
  }
}
