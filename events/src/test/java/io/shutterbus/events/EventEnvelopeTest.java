package io.shutterbus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {
  private static final UUID USER = UUID.randomUUID();
  private static final UUID IMAGE = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.123456Z");

  private static List<DomainEvent> samples() {
    return List.of(
        new UserRegistered(USER, "alice@example.com", "Alice", NOW),
        new ImageUploaded(IMAGE, USER, "ab".repeat(32), "png", 12345, ImagePurpose.AVATAR, NOW),
        new ImageProcessed(IMAGE, USER, ImagePurpose.GALLERY, 640, 480, "jpeg",
            Map.of(256, "/uploads/thumbs/256/x.jpg", 1024, "/uploads/thumbs/1024/x.jpg"), "/uploads/x.jpeg", NOW),
        new ImageFailed(IMAGE, USER, "not a PNG, JPEG, GIF or WebP image", NOW));
  }

  @Test
  void everyEventTypeSurvivesTheTripThroughKafkaHeadersAndValue() {
    for (DomainEvent event : samples()) {
      EventEnvelope sent = EventEnvelope.of(event, "/shutterbus/test");
      EventEnvelope received = EventEnvelope.fromParts("prefix." + sent.topic(), sent.key(), sent.headers(),
          sent.value());
      assertEquals(event, DomainEvent.decode(received), event.type());
      assertEquals(sent.id(), received.id());
      assertEquals(sent.time(), received.time());
    }
  }

  @Test
  void headersFollowTheCloudEventsKafkaBindingInBinaryMode() {
    UserRegistered event = new UserRegistered(USER, "alice@example.com", "Alice", NOW);
    EventEnvelope env = EventEnvelope.of(event, "/shutterbus/auth");
    Map<String, String> h = env.headers();
    assertEquals("1.0", h.get("ce_specversion"));
    assertEquals("shutterbus.user.registered.v1", h.get("ce_type"));
    assertEquals("/shutterbus/auth", h.get("ce_source"));
    assertEquals(USER.toString(), h.get("ce_subject"));
    assertEquals("application/json", h.get("content-type"));
    assertEquals(env.id(), UUID.fromString(h.get("ce_id")).toString());
    Instant.parse(h.get("ce_time"));
    assertEquals(USER.toString(), env.key());
    assertEquals(Topics.USERS_REGISTERED, env.topic());
    assertEquals("Alice", new JsonObject(env.value()).getString("name"));
  }

  @Test
  void typesAreVersionedPerTheCatalogue() {
    assertEquals("shutterbus.user.registered.v1", UserRegistered.TYPE);
    assertEquals("shutterbus.image.uploaded.v1", ImageUploaded.TYPE);
    assertEquals("shutterbus.image.processed.v1", ImageProcessed.TYPE);
    assertEquals("shutterbus.image.failed.v1", ImageFailed.TYPE);
    assertEquals(Topics.IMAGES_PROCESSED, samples().get(2).topic());
  }

  @Test
  void thumbnailsAreKeyedBySizeOnTheWire() {
    JsonObject json = samples().get(2).toJson();
    assertEquals("/uploads/thumbs/256/x.jpg", json.getJsonObject("thumbnails").getString("256"));
    assertEquals("/uploads/thumbs/1024/x.jpg", json.getJsonObject("thumbnails").getString("1024"));
  }

  @Test
  void unreadableRecordsAreInvalidEventsNotCrashes() {
    EventEnvelope env = EventEnvelope.of(samples().get(0), "/t");
    Map<String, String> noId = new HashMap<>(env.headers());
    noId.remove("ce_id");
    assertThrows(InvalidEventException.class, () -> EventEnvelope.fromParts("t", "k", noId, env.value()));
    assertThrows(InvalidEventException.class, () -> EventEnvelope.fromParts("t", "k", env.headers(), "not json"));
    Map<String, String> unknownType = new HashMap<>(env.headers());
    unknownType.put("ce_type", "shutterbus.user.deleted.v9");
    EventEnvelope unknown = EventEnvelope.fromParts("t", "k", unknownType, env.value());
    assertThrows(InvalidEventException.class, () -> DomainEvent.decode(unknown));
    Map<String, String> wrongSpec = new HashMap<>(env.headers());
    wrongSpec.put("ce_specversion", "0.3");
    assertThrows(InvalidEventException.class, () -> EventEnvelope.fromParts("t", "k", wrongSpec, env.value()));
    InvalidEventException badData = assertThrows(InvalidEventException.class,
        () -> UserRegistered.fromJson(new JsonObject().put("userId", "nope")));
    assertTrue(badData.getMessage().contains("userId"), badData.getMessage());
  }
}
