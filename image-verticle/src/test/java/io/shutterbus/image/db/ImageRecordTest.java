package io.shutterbus.image.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.upload.UploadPurpose;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Image JSON of gateway-verticle/openapi.yaml, in every status. */
class ImageRecordTest {
  private static final String SHA = "ab".repeat(32);
  private static final OffsetDateTime CREATED = OffsetDateTime.parse("2025-03-04T05:06:07.123456Z");
  private static final OffsetDateTime UPDATED = OffsetDateTime.parse("2025-03-04T05:06:09Z");

  private static ImageRecord record(ImageStatus status, String reason, JsonObject metadata) {
    return new ImageRecord(UUID.fromString("00000000-0000-0000-0000-000000000001"), UUID.randomUUID(), SHA,
        ImageFormat.JPEG, 12345, 1200, 800, UploadPurpose.AVATAR, status, reason, metadata, CREATED, UPDATED);
  }

  @Test
  void aProcessingImageHasItsHeaderFactsAndNoThumbnails() {
    JsonObject json = record(ImageStatus.PROCESSING, null, null).toJson(List.of(256, 1024));
    assertEquals(Set.of("id", "status", "purpose", "url", "thumbnails", "failureReason", "metadata", "createdAt",
        "updatedAt"), json.fieldNames());
    assertEquals("processing", json.getString("status"));
    assertEquals("avatar", json.getString("purpose"));
    assertEquals("/uploads/" + SHA + ".jpg", json.getString("url"));
    assertEquals(new JsonObject(), json.getJsonObject("thumbnails"));
    assertNull(json.getValue("failureReason"));
    assertEquals(new JsonObject().put("width", 1200).put("height", 800).put("format", "jpeg").put("bytes", 12345),
        json.getJsonObject("metadata"));
    assertEquals("2025-03-04T05:06:07.123456Z", json.getString("createdAt"));
    assertEquals("2025-03-04T05:06:09Z", json.getString("updatedAt"));
  }

  @Test
  void aReadyImageHasThumbnailsCameraAndDate() {
    JsonObject stored = new JsonObject().put("orientation", 6).put("takenAt", "2021-05-01T10:20:30")
        .put("camera", new JsonObject().put("make", "Canon").put("model", "Canon EOS 5D"));
    JsonObject json = record(ImageStatus.READY, null, stored).toJson(List.of(256, 1024));
    assertEquals(new JsonObject().put("256", "/uploads/thumbs/256/" + SHA + ".jpg")
        .put("1024", "/uploads/thumbs/1024/" + SHA + ".jpg"), json.getJsonObject("thumbnails"));
    assertEquals("Canon EOS 5D", json.getJsonObject("metadata").getString("camera"));
    assertEquals("2021-05-01T10:20:30", json.getJsonObject("metadata").getString("takenAt"));
    assertEquals(Set.of("width", "height", "format", "bytes", "camera", "takenAt"),
        json.getJsonObject("metadata").fieldNames(), "nothing internal (orientation, thumbnail list) leaks");
  }

  @Test
  void aFailedImageSaysWhy() {
    JsonObject json = record(ImageStatus.FAILED, "The PNG image is truncated.", null).toJson(List.of(256));
    assertEquals("failed", json.getString("status"));
    assertEquals("The PNG image is truncated.", json.getString("failureReason"));
    assertEquals(new JsonObject(), json.getJsonObject("thumbnails"));
  }

  @Test
  void theCameraIsMakeAndModelWithoutRepeatingTheMake() {
    assertEquals("Canon EOS 5D", ImageRecord.camera(new JsonObject().put("make", "Canon").put("model", "EOS 5D")));
    assertEquals("NIKON CORPORATION NIKON D750",
        ImageRecord.camera(new JsonObject().put("make", "NIKON CORPORATION").put("model", "NIKON D750")));
    assertEquals("Apple iPhone 12", ImageRecord.camera(new JsonObject().put("make", "Apple").put("model", "iPhone 12")));
    assertEquals("Apple", ImageRecord.camera(new JsonObject().put("make", "Apple")));
    assertEquals("X100V", ImageRecord.camera(new JsonObject().put("model", "X100V")));
    assertNull(ImageRecord.camera(null));
  }
}
