package io.shutterbus.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** events/asyncapi.yaml and the event records in code describe the same events, checked both ways. */
class AsyncApiContractTest {
  static Map<String, Object> doc;
  static final UUID ID = UUID.randomUUID();
  static final Instant NOW = Instant.now();
  /** One sample per event type; the test fails if a new DomainEvent is added without a sample here. */
  static final List<DomainEvent> SAMPLES = List.of(
      new UserRegistered(ID, "alice@example.com", "Alice", NOW),
      new ImageUploaded(ID, ID, "a".repeat(64), "png", 10, ImagePurpose.GALLERY, NOW),
      new ImageProcessed(ID, ID, ImagePurpose.AVATAR, 10, 10, "png", Map.of(256, "/t/256", 1024, "/t/1024"), "/u", NOW),
      new ImageFailed(ID, ID, "the image data is truncated", NOW),
      new ImageDeleted(ID, ID, ImagePurpose.GALLERY, "/uploads/x.png", NOW));

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("asyncapi.yaml"))) {
      doc = (Map<String, Object>) new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertNotNull(v, "missing " + key);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> resolve(Object refHolder) {
    String ref = (String) ((Map<String, Object>) refHolder).get("$ref");
    Map<String, Object> node = doc;
    for (String part : ref.substring(2).split("/")) {
      node = map(node, part);
    }
    return node;
  }

  @Test
  void isAsyncApi3() {
    assertEquals("3.0.0", doc.get("asyncapi"));
  }

  @Test
  void everyTopicOfTheCatalogueIsAChannelAndNoOther() {
    Set<String> addresses = map(doc, "channels").values().stream()
        .map(c -> (String) ((Map<?, ?>) c).get("address")).collect(Collectors.toSet());
    assertEquals(new HashSet<>(Topics.ALL), addresses);
  }

  @Test
  void everyEventTypeInCodeIsAMessageAndNoOther() throws Exception {
    Set<String> inCode = new HashSet<>();
    for (Class<?> type : DomainEvent.class.getPermittedSubclasses()) {
      inCode.add((String) type.getField("TYPE").get(null));
    }
    Set<String> sampled = SAMPLES.stream().map(DomainEvent::type).collect(Collectors.toSet());
    assertEquals(inCode, sampled, "add a sample for each DomainEvent");
    Set<String> documented = map(map(doc, "components"), "messages").values().stream()
        .map(m -> (String) ((Map<?, ?>) m).get("name")).collect(Collectors.toSet());
    assertEquals(inCode, documented);
  }

  @Test
  @SuppressWarnings("unchecked")
  void payloadSchemasNameExactlyTheFieldsOnTheWire() {
    Map<String, Map<String, Object>> byType = new HashMap<>();
    map(map(doc, "components"), "messages").values().forEach(m -> {
      Map<String, Object> message = (Map<String, Object>) m;
      byType.put((String) message.get("name"), resolve(message.get("payload")));
    });
    for (DomainEvent sample : SAMPLES) {
      Map<String, Object> schema = byType.get(sample.type());
      Set<String> documented = map(schema, "properties").keySet();
      assertEquals(sample.toJson().fieldNames(), documented, sample.type());
      List<String> required = (List<String>) schema.get("required");
      assertTrue(documented.containsAll(required), sample.type() + " requires an undocumented field");
      assertEquals(Boolean.FALSE, schema.get("additionalProperties"), sample.type());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachEventTypeTravelsOnTheChannelOfItsTopic() {
    Map<String, Set<String>> typesByAddress = new HashMap<>();
    map(doc, "channels").values().forEach(c -> {
      Map<String, Object> channel = (Map<String, Object>) c;
      Set<String> types = ((Map<String, Object>) channel.get("messages")).values().stream()
          .map(m -> (String) resolve(m).get("name")).collect(Collectors.toSet());
      typesByAddress.put((String) channel.get("address"), types);
    });
    for (DomainEvent sample : SAMPLES) {
      assertTrue(typesByAddress.get(sample.topic()).contains(sample.type()), sample.type() + " on " + sample.topic());
    }
    assertEquals(Set.of(ImageUploaded.TYPE), typesByAddress.get(Topics.IMAGES_UPLOADED_DLQ));
    assertTrue(Arrays.stream(DomainEvent.class.getPermittedSubclasses()).count() == SAMPLES.size());
  }
}
