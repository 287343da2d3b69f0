package io.shutterbus.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.Topics;
import io.shutterbus.events.UserRegistered;
import io.shutterbus.image.db.ImageRepository;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.TestKafka;
import io.shutterbus.testkit.TestTokens;
import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The image API of the {@code image} service alone (no worker, so images stay processing unless a
 * test marks them): real PostgreSQL, Kafka and JWKS, tokens verified by the service itself.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageApiIT {
  static final Set<String> IMAGE_KEYS = Set.of("id", "status", "purpose", "url", "thumbnails", "failureReason",
      "metadata", "createdAt", "updatedAt");
  private Infra infra;
  private TestIdentity identity;
  private Path storage;
  private ImageApp app;
  private ImageClient api;
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start(Infra infra) throws Exception {
    this.infra = infra;
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    identity = new TestIdentity();
    // a private parent: the file-name check below walks it, and /tmp itself changes under other processes
    storage = Files.createTempDirectory("image-api-it").resolve("store");
    Map<String, String> env = new HashMap<>(infra.env());
    env.putAll(identity.env());
    env.put("IMAGE_STORAGE_DIR", storage.toString());
    env.put("IMAGE_QUOTA_COUNT", "3");
    app = ImageApp.service(env);
    api = new ImageClient(app.port);
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, PgSettings.fromEnv(Env.of(infra.env())), "image-api-it", 2);
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
    app.close();
    pool.close().await();
    vertx.close().await();
    identity.close();
  }

  @Test
  void anUploadIsAcceptedAtOnceWithOneRowAndOneUploadedEvent() throws Exception {
    UUID owner = UUID.randomUUID();
    String token = identity.token(owner);
    byte[] png = TestImages.png(300, 200);
    HttpResponse<Buffer> res = api.upload(token, new Multipart().file("image", "holiday.png", "image/png", png).build());
    assertEquals(202, res.statusCode(), res.bodyAsString());
    JsonObject accepted = res.bodyAsJsonObject();
    assertEquals(Set.of("id", "status", "url"), accepted.fieldNames());
    String id = accepted.getString("id");
    assertEquals("processing", accepted.getString("status"));
    assertEquals("/uploads/" + sha256(png) + ".png", accepted.getString("url"));
    assertEquals("/api/images/" + id, res.getHeader("location"));

    JsonObject image = api.get("/api/images/" + id, token).bodyAsJsonObject();
    assertEquals(IMAGE_KEYS, image.fieldNames());
    assertEquals("processing", image.getString("status"));
    assertEquals("gallery", image.getString("purpose"));
    assertEquals(new JsonObject(), image.getJsonObject("thumbnails"));
    assertNull(image.getValue("failureReason"));
    assertEquals(new JsonObject().put("width", 300).put("height", 200).put("format", "png").put("bytes", png.length),
        image.getJsonObject("metadata"));
    assertArrayEquals(png, api.get(accepted.getString("url"), null).body().getBytes(), "the original is served");

    UUID pending = pool.preparedQuery("select pending_event_id from images.images where id = $1")
        .execute(Tuple.of(UUID.fromString(id))).await().iterator().next().getUUID(0);
    List<ConsumerRecord<String, String>> events = TestKafka.readUntil(infra.bootstrapServers(),
            topic(Topics.IMAGES_UPLOADED), r -> r.stream().anyMatch(e -> id.equals(e.key())), Duration.ofSeconds(30),
            Duration.ofSeconds(1)).stream().filter(e -> id.equals(e.key())).toList();
    assertEquals(1, events.size(), "one images.uploaded per upload");
    ConsumerRecord<String, String> event = events.get(0);
    assertEquals(pending.toString(), TestKafka.header(event, "ce_id"), "the row waits for exactly this event");
    assertEquals("shutterbus.image.uploaded.v1", TestKafka.header(event, "ce_type"));
    JsonObject data = new JsonObject(event.value());
    assertEquals(owner.toString(), data.getString("ownerId"));
    assertEquals(sha256(png), data.getString("sha256"));
    assertEquals("png", data.getString("format"));
    assertEquals(png.length, data.getLong("bytes"));
    assertEquals("gallery", data.getString("purpose"));
  }

  @Test
  void aPhoneJpegIsStoredAndServedToStrangersWithoutItsGpsAndTheSameBytesLandOnOneBlob() throws Exception {
    UUID owner = UUID.randomUUID();
    String token = identity.token(owner);
    byte[] photo = TestImages.jpegWithGps(400, 300, 6);
    JsonObject accepted = api.upload(token, new Multipart().file("image", "IMG_0001.jpg", "image/jpeg", photo).build())
        .bodyAsJsonObject();
    String url = accepted.getString("url");

    byte[] served = api.get(url, null).body().getBytes();
    assertFalse(contains(served, TestImages.GPS_SECRET), "no GPS, XMP, comment or trailer for anyone");
    assertFalse(contains(served, "iPhone"), "no camera in the public file");
    assertEquals("/uploads/" + sha256(served) + ".jpg", url, "the blob is named by the bytes it holds");
    assertNotEquals("/uploads/" + sha256(photo) + ".jpg", url);
    try (Stream<Path> stored = Files.walk(storage)) {
      for (Path file : stored.filter(Files::isRegularFile).toList()) {
        assertFalse(contains(Files.readAllBytes(file), TestImages.GPS_SECRET), "nothing in the store keeps it: " + file);
      }
    }
    JsonObject image = api.get("/api/images/" + accepted.getString("id"), token).bodyAsJsonObject();
    assertEquals(served.length, image.getJsonObject("metadata").getLong("bytes"), "the stored size counts");
    JsonObject facts = pool.preparedQuery("select exif_facts from images.images where id = $1")
        .execute(Tuple.of(UUID.fromString(accepted.getString("id")))).await().iterator().next().getJsonObject(0);
    assertEquals(new JsonObject().put("camera", new JsonObject().put("make", "Apple").put("model", "iPhone 12"))
        .put("takenAt", "2024-07-14T18:30"), facts, "what the owner is shown is kept beside the file");

    String again = api.upload(identity.token(UUID.randomUUID()),
        new Multipart().file("image", "copy.jpg", "image/jpeg", photo).build()).bodyAsJsonObject().getString("url");
    assertEquals(url, again, "the same photo from someone else: the same blob");
    String reuploaded = api.upload(token, new Multipart().file("image", "served.jpg", "image/jpeg", served).build())
        .bodyAsJsonObject().getString("url");
    assertEquals(url, reuploaded, "the served file uploaded again: the same blob");
  }

  private static boolean contains(byte[] data, String text) {
    return new String(data, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
  }

  @Test
  void theClientsFileNameNeverReachesAPath() throws Exception {
    String token = identity.token(UUID.randomUUID());
    byte[] png = TestImages.png(40, 30);
    for (String name : List.of("../../etc/passwd", "a/b.png", "..\\..\\boot.ini")) {
      HttpResponse<Buffer> res = api.upload(token, new Multipart().file("image", name, "image/png", png).build());
      assertEquals(202, res.statusCode(), name + ": " + res.bodyAsString());
      assertEquals("/uploads/" + sha256(png) + ".png", res.bodyAsJsonObject().getString("url"), name);
    }
    String sha = sha256(png);
    assertTrue(Files.isRegularFile(storage.resolve("originals").resolve(sha.substring(0, 2)).resolve(sha + ".png")));
    try (Stream<Path> files = Files.walk(storage.getParent(), 4)) {
      assertFalse(files.anyMatch(p -> p.getFileName() != null
          && List.of("passwd", "b.png", "boot.ini").contains(p.getFileName().toString())), "no client name on disk");
    }
  }

  @Test
  void filesThatAreNoAcceptedImageAreRefusedWithTheirStatusAndNothingIsKept() {
    UUID owner = UUID.randomUUID();
    String token = identity.token(owner);
    HttpResponse<Buffer> text = api.upload(token, new Multipart()
        .file("image", "notes.png", "image/png", TestImages.ascii("just some text, no picture\n".repeat(20))).build());
    assertProblem(text, 415, "unsupported-media-type");
    assertEquals("image", text.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> svg = api.upload(token, new Multipart().file("image", "logo.png", "image/png", TestImages.ascii(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")).build());
    assertProblem(svg, 415, "unsupported-media-type");
    byte[] bomb = TestImages.pngDeclaring(50_000, 50_000, 1024);
    assertTrue(bomb.length <= 1100, "about 1 KB: " + bomb.length);
    assertProblem(api.upload(token, new Multipart().file("image", "bomb.png", "image/png", bomb).build()), 422,
        "too-many-pixels");
    assertProblem(api.upload(token, new Multipart().field("purpose", "avatar").build()), 400, "invalid-field");
    assertProblem(api.upload(token, new Multipart().field("purpose", "banner")
        .file("image", "a.png", "image/png", TestImages.png(10, 10)).build()), 400, "invalid-field");
    assertEquals(0L, pool.preparedQuery("select count(*) from images.images where owner_id = $1")
        .execute(Tuple.of(owner)).await().iterator().next().getLong(0));
  }

  @Test
  void withoutAValidTokenEveryImageRouteIs401ButFilesArePublic() {
    String id = api.uploadAccepted(identity.token(UUID.randomUUID()), "x.png", TestImages.png(20, 20));
    String forged = TestTokens.withTamperedSignature(identity.token(UUID.randomUUID()));
    for (String token : new String[] {null, "not-a-jwt", forged}) {
      assertProblem(api.upload(token, new Multipart().file("image", "a.png", "image/png", TestImages.png(5, 5)).build()),
          401, "unauthorized");
      assertProblem(api.get("/api/images", token), 401, "unauthorized");
      assertProblem(api.get("/api/images/" + id, token), 401, "unauthorized");
      assertProblem(api.send(HttpMethod.DELETE, "/api/images/" + id, token), 401, "unauthorized");
      assertProblem(api.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", token), 401, "unauthorized");
    }
    assertEquals(200, api.get("/uploads/" + sha256(TestImages.png(20, 20)) + ".png", null).statusCode());
  }

  @Test
  void anotherUsersImageIsNotFoundAndSoIsAnIdThatIsNoUuid() {
    String ownerToken = identity.token(UUID.randomUUID());
    String id = api.uploadAccepted(ownerToken, "mine.png", TestImages.png(21, 21));
    String other = identity.token(UUID.randomUUID());
    assertProblem(api.get("/api/images/" + id, other), 404, "not-found");
    assertProblem(api.send(HttpMethod.DELETE, "/api/images/" + id, other), 404, "not-found");
    assertProblem(api.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", other), 404, "not-found");
    assertEquals(0, api.get("/api/images", other).bodyAsJsonObject().getJsonArray("items").size());
    for (String bad : List.of("not-a-uuid", "1", "%00", UUID.randomUUID() + "x")) {
      assertProblem(api.get("/api/images/" + bad, ownerToken), 404, "not-found");
      assertProblem(api.send(HttpMethod.DELETE, "/api/images/" + bad, ownerToken), 404, "not-found");
    }
    assertEquals(200, api.get("/api/images/" + id, ownerToken).statusCode(), "still there for its owner");
  }

  @Test
  void pagesAreNewestFirstWithACursor() {
    String token = identity.token(UUID.randomUUID());
    List<String> ids = List.of(api.uploadAccepted(token, "1.png", TestImages.png(31, 10)),
        api.uploadAccepted(token, "2.png", TestImages.png(32, 10)), api.uploadAccepted(token, "3.png", TestImages.png(33, 10)));
    JsonObject first = api.get("/api/images?limit=2", token).bodyAsJsonObject();
    assertEquals(Set.of("items", "nextCursor"), first.fieldNames());
    JsonArray items = first.getJsonArray("items");
    assertEquals(List.of(ids.get(2), ids.get(1)), List.of(items.getJsonObject(0).getString("id"),
        items.getJsonObject(1).getString("id")));
    assertEquals(IMAGE_KEYS, items.getJsonObject(0).fieldNames());
    JsonObject second = api.get("/api/images?limit=2&cursor=" + first.getString("nextCursor"), token).bodyAsJsonObject();
    assertEquals(1, second.getJsonArray("items").size());
    assertEquals(ids.get(0), second.getJsonArray("items").getJsonObject(0).getString("id"));
    assertNull(second.getValue("nextCursor"));
    assertTrue(second.containsKey("nextCursor"), "nextCursor is null on the last page, not missing");

    assertEquals("limit", assertProblem(api.get("/api/images?limit=0", token), 400, "invalid-field").getString("field"));
    assertEquals("limit", assertProblem(api.get("/api/images?limit=abc", token), 400, "invalid-field").getString("field"));
    assertEquals("cursor", assertProblem(api.get("/api/images?cursor=%21%21", token), 400, "invalid-field")
        .getString("field"));
  }

  @Test
  void theQuotaIsA403ThatSaysWhichLimitAndDeletingMakesRoom() {
    String token = identity.token(UUID.randomUUID());
    String first = api.uploadAccepted(token, "1.png", TestImages.png(41, 10));
    api.uploadAccepted(token, "2.png", TestImages.png(42, 10));
    api.uploadAccepted(token, "3.png", TestImages.png(43, 10));
    byte[] fourth = TestImages.png(44, 10);
    JsonObject problem = assertProblem(api.upload(token, new Multipart().file("image", "4.png", "image/png", fourth).build()),
        403, "quota-exceeded");
    assertEquals(3, problem.getInteger("limitCount"));
    assertTrue(problem.getString("detail").contains("3 images"), problem.getString("detail"));
    assertFalse(Files.exists(storage.resolve("originals").resolve(sha256(fourth).substring(0, 2))
        .resolve(sha256(fourth) + ".png")), "a refused upload leaves no blob");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/images/" + first, token).statusCode());
    assertEquals(202, api.upload(token, new Multipart().file("image", "4.png", "image/png", fourth).build()).statusCode());
  }

  @Test
  void deletingRemovesTheBlobOnlyWhenNoImageUsesIt() {
    byte[] shared = TestImages.png(55, 44);
    String url = "/uploads/" + sha256(shared) + ".png";
    String alice = identity.token(UUID.randomUUID());
    String bob = identity.token(UUID.randomUUID());
    String aliceImage = api.uploadAccepted(alice, "a.png", shared);
    String bobImage = api.uploadAccepted(bob, "b.png", shared);

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/images/" + aliceImage, alice).statusCode());
    assertProblem(api.get("/api/images/" + aliceImage, alice), 404, "not-found");
    assertEquals(200, api.get(url, null).statusCode(), "Bob's image still uses the bytes");

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/images/" + bobImage, bob).statusCode());
    assertEquals(404, api.get(url, null).statusCode(), "nobody uses the bytes any more");
    assertProblem(api.send(HttpMethod.DELETE, "/api/images/" + bobImage, bob), 404, "not-found");
  }

  @Test
  void reprocessIsForFailedOrReadyImagesAndGoesThroughTheOutbox() throws Exception {
    String token = identity.token(UUID.randomUUID());
    String id = api.uploadAccepted(token, "r.png", TestImages.png(60, 60));
    assertProblem(api.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", token), 409, "image-processing");

    UUID imageId = UUID.fromString(id);
    UUID firstEvent = pendingEvent(imageId);
    new ImageRepository().markFailed(pool, imageId, firstEvent, "The PNG image is truncated.").await();
    JsonObject failed = api.get("/api/images/" + id, token).bodyAsJsonObject();
    assertEquals("failed", failed.getString("status"));
    assertEquals("The PNG image is truncated.", failed.getString("failureReason"));

    HttpResponse<Buffer> res = api.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", token);
    assertEquals(202, res.statusCode(), res.bodyAsString());
    JsonObject again = res.bodyAsJsonObject();
    assertEquals(IMAGE_KEYS, again.fieldNames());
    assertEquals("processing", again.getString("status"));
    assertNull(again.getValue("failureReason"));
    UUID secondEvent = pendingEvent(imageId);
    assertNotEquals(firstEvent, secondEvent);

    List<String> eventIds = TestKafka.readUntil(infra.bootstrapServers(), topic(Topics.IMAGES_UPLOADED),
            r -> r.stream().filter(e -> id.equals(e.key())).count() >= 2, Duration.ofSeconds(30), Duration.ofSeconds(1))
        .stream().filter(e -> id.equals(e.key())).map(e -> TestKafka.header(e, "ce_id")).toList();
    assertEquals(List.of(firstEvent.toString(), secondEvent.toString()), eventIds, "in order, one per job");
    assertProblem(api.send(HttpMethod.POST, "/api/images/" + id + "/reprocess", token), 409, "image-processing");
  }

  @Test
  void aRegistrationProvisionsTheGalleryOnceEvenWhenAnUploadCameFirst() throws Exception {
    UUID early = UUID.randomUUID();
    api.uploadAccepted(identity.token(early), "early.png", TestImages.png(70, 10));
    UUID late = UUID.randomUUID();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
        infra.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
      for (UUID user : List.of(early, late, late)) {
        EventEnvelope e = EventEnvelope.of(new UserRegistered(user, "someone@example.com", "Someone", Instant.now()),
            "/shutterbus/auth");
        ProducerRecord<String, String> record = new ProducerRecord<>(topic(Topics.USERS_REGISTERED), e.key(), e.value());
        e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes()));
        producer.send(record).get();
      }
    }
    for (UUID user : List.of(early, late)) {
      Row row = awaitRegistered(user);
      assertEquals(1L, row.getLong("n"), "one row for " + user);
    }
  }

  private Row awaitRegistered(UUID user) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Row row = pool.preparedQuery("select count(*) as n, max(registered_at) as at from images.users where user_id = $1")
          .execute(Tuple.of(user)).await().iterator().next();
      if (row.getValue("at") != null) {
        return row;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("user " + user + " not provisioned");
  }

  private UUID pendingEvent(UUID imageId) {
    return pool.preparedQuery("select pending_event_id from images.images where id = $1").execute(Tuple.of(imageId))
        .await().iterator().next().getUUID(0);
  }

  private String topic(String name) {
    return infra.topicPrefix() + name;
  }

  static JsonObject assertProblem(HttpResponse<Buffer> res, int status, String slug) {
    assertEquals(status, res.statusCode(), res.bodyAsString());
    assertEquals("application/problem+json", res.getHeader("content-type"));
    JsonObject body = res.bodyAsJsonObject();
    assertTrue(body.getString("type").endsWith("/" + slug), body.encode());
    assertEquals(status, body.getInteger("status"));
    assertTrue(body.getString("requestId") != null && !body.getString("detail").isBlank(), body.encode());
    return body;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
