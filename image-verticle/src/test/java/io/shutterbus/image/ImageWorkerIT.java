package io.shutterbus.image;

import static io.shutterbus.image.ImageApiIT.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.image.render.TransientRenderException;
import io.shutterbus.image.render.UndecodableImageException;
import io.shutterbus.events.DeadLetters;
import io.shutterbus.image.worker.ImageWorkerVerticle;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.shutterbus.testkit.http.Multipart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
 * The image service and the worker, each in a Vert.x of its own, over real PostgreSQL and Kafka:
 * thumbnails and metadata, one result event per job, dead letters with their error, replays
 * processed again, and a worker stopped in order (vertx.close()) in the middle of a job. A worker
 * process killed with SIGKILL is {@code ImageWorkerProcessIT}.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageWorkerIT {
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private Infra infra;
  private TestIdentity identity;
  private Path storage;
  private Map<String, String> env;
  private ImageApp service;
  private ImageApp worker;
  private ImageClient api;
  private TopicReader topics;
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start(Infra infra) throws Exception {
    this.infra = infra;
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    identity = new TestIdentity();
    storage = Files.createTempDirectory("image-worker-it");
    env = new HashMap<>(infra.env());
    env.putAll(identity.env());
    env.put("IMAGE_STORAGE_DIR", storage.toString());
    env.put("IMAGE_WORKER_MAX_ATTEMPTS", "3");
    service = ImageApp.service(env);
    worker = ImageApp.worker(env);
    api = new ImageClient(service.port);
    topics = new TopicReader(infra.bootstrapServers(), infra.topicPrefix(),
        Settled.on(infra.bootstrapServers()).outbox(infra, "images").groups("image-worker")
            .topicsStartingWith(infra.topicPrefix()));
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, PgSettings.fromEnv(Env.of(infra.env())), "image-worker-it", 2);
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
    worker.close();
    service.close();
    pool.close().await();
    vertx.close().await();
    identity.close();
  }

  @Test
  void anUploadBecomesReadyWithThumbnailsMetadataAndOneProcessedEvent() throws Exception {
    UUID owner = UUID.randomUUID();
    String token = identity.token(owner);
    byte[] photo = TestImages.jpegWithGps(1600, 1200, 6);
    String id = api.uploadAccepted(token, "photo.jpg", photo);

    JsonObject image = api.awaitStatus(token, id, "ready", READY_WITHIN);
    JsonObject thumbs = image.getJsonObject("thumbnails");
    byte[] original = api.get(image.getString("url"), null).body().getBytes();
    String sha = sha256(original);
    assertEquals("/uploads/" + sha + ".jpg", image.getString("url"), "stored (and named) without its metadata");
    assertEquals(new JsonObject().put("256", "/uploads/thumbs/256/" + sha + ".jpg")
        .put("1024", "/uploads/thumbs/1024/" + sha + ".jpg"), thumbs);
    assertEquals(new JsonObject().put("width", 1200).put("height", 1600).put("format", "jpeg").put("bytes", original.length)
        .put("camera", "Apple iPhone 12").put("takenAt", "2024-07-14T18:30"), image.getJsonObject("metadata"),
        "displayed size after the EXIF rotation (kept in the file), camera and date (kept in the row) for the owner");
    for (String publicUrl : List.of(image.getString("url"), thumbs.getString("256"), thumbs.getString("1024"))) {
      String served = api.get(publicUrl, null).body().toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      assertFalse(served.contains(TestImages.GPS_SECRET) || served.contains("iPhone"), "nothing of it in " + publicUrl);
    }
    BufferedImage small = decode(api.get(thumbs.getString("256"), null));
    assertEquals(256, Math.max(small.getWidth(), small.getHeight()));
    assertTrue(small.getHeight() > small.getWidth(), "rotated upright");
    BufferedImage large = decode(api.get(thumbs.getString("1024"), null));
    assertEquals(1024, Math.max(large.getWidth(), large.getHeight()));

    List<ConsumerRecord<String, String>> processed = topics.byKey(Topics.IMAGES_PROCESSED, id, 1);
    assertEquals(1, processed.size(), "one images.processed per job");
    JsonObject data = new JsonObject(processed.get(0).value());
    assertEquals(owner.toString(), data.getString("ownerId"));
    assertEquals("gallery", data.getString("purpose"));
    assertEquals(thumbs, data.getJsonObject("thumbnails"));
    assertEquals("/uploads/" + sha + ".jpg", data.getString("url"));
    assertEquals(1200, data.getInteger("width"));
    assertEquals(1600, data.getInteger("height"));
    assertEquals("jpeg", data.getString("format"));
    assertEquals("shutterbus.image.processed.v1", TestKafka.header(processed.get(0), "ce_type"));
    assertEquals(0, topics.byKey(Topics.IMAGES_FAILED, id, 0, Duration.ZERO).size());

    HttpResponse<Buffer> avatar = api.upload(token, new Multipart().field("purpose", "avatar")
        .file("image", "me.png", "image/png", TestImages.png(300, 300)).build());
    String avatarId = avatar.bodyAsJsonObject().getString("id");
    assertEquals("avatar", api.awaitStatus(token, avatarId, "ready", READY_WITHIN).getString("purpose"));
    assertEquals("avatar", new JsonObject(topics.byKey(Topics.IMAGES_PROCESSED, avatarId, 1).get(0).value())
        .getString("purpose"));
  }

  @Test
  void aDuplicateOfAnUploadEventChangesNothing() throws Exception {
    String token = identity.token(UUID.randomUUID());
    String id = api.uploadAccepted(token, "dup.png", TestImages.png(120, 80));
    JsonObject ready = api.awaitStatus(token, id, "ready", READY_WITHIN);
    ConsumerRecord<String, String> original = topics.byKey(Topics.IMAGES_UPLOADED, id, 1).get(0);

    ConsumerRecord<String, String> duplicate = publishCopy(original, Map.of());
    topics.awaitConsumed(ImageWorkerVerticle.GROUP, duplicate, READY_WITHIN);
    assertEquals(1, topics.byKey(Topics.IMAGES_PROCESSED, id, 1).size(), "no second images.processed");
    assertEquals(ready, api.get("/api/images/" + id, token).bodyAsJsonObject(), "the row was not written again");
    assertEquals(1L, pool.preparedQuery("select count(*) from images.images where sha256 = $1")
        .execute(Tuple.of(sha256(TestImages.png(120, 80)))).await().iterator().next().getLong(0));
  }

  @Test
  void aTruncatedPngFailsAtOnceIsDeadLetteredAndAReplayAfterTheBlobIsFixedIsProcessedAgain() throws Exception {
    String token = identity.token(UUID.randomUUID());
    byte[] whole = TestImages.noisyPng(200, 150);
    byte[] truncated = Arrays.copyOf(whole, whole.length * 6 / 10);
    String id = api.uploadAccepted(token, "cut.png", truncated);

    JsonObject failed = api.awaitStatus(token, id, "failed", READY_WITHIN);
    String reason = failed.getString("failureReason");
    assertTrue(reason.contains("truncated"), reason);
    assertEquals(new JsonObject(), failed.getJsonObject("thumbnails"));
    List<ConsumerRecord<String, String>> failedEvents = topics.byKey(Topics.IMAGES_FAILED, id, 1);
    assertEquals(1, failedEvents.size());
    assertEquals(reason, new JsonObject(failedEvents.get(0).value()).getString("reason"));

    ConsumerRecord<String, String> uploaded = topics.byKey(Topics.IMAGES_UPLOADED, id, 1).get(0);
    List<ConsumerRecord<String, String>> dead = topics.byKey(Topics.IMAGES_UPLOADED_DLQ, id, 1);
    assertEquals(1, dead.size(), "one dead letter");
    ConsumerRecord<String, String> letter = dead.get(0);
    assertEquals(uploaded.value(), letter.value(), "the event as it was");
    assertEquals(TestKafka.header(uploaded, "ce_id"), TestKafka.header(letter, "ce_id"));
    assertEquals(reason, TestKafka.header(letter, DeadLetters.ERROR));
    assertEquals(UndecodableImageException.class.getName(), TestKafka.header(letter, DeadLetters.ERROR_CLASS));
    assertNotNull(Instant.parse(TestKafka.header(letter, DeadLetters.FAILED_AT)));
    assertEquals(uploaded.topic(), TestKafka.header(letter, DeadLetters.SOURCE_TOPIC));
    assertEquals(Integer.toString(uploaded.partition()), TestKafka.header(letter, DeadLetters.SOURCE_PARTITION));
    assertEquals(Long.toString(uploaded.offset()), TestKafka.header(letter, DeadLetters.SOURCE_OFFSET));

    // The stored bytes were damaged and are repaired; an operator re-drives the dead letter.
    String sha = sha256(truncated);
    Files.write(storage.resolve("originals").resolve(sha.substring(0, 2)).resolve(sha + ".png"), whole);
    try (EventInspector inspector = EventInspector.connect(infra.bootstrapServers())) {
      assertEquals(1, inspector.replay(topics.topic(Topics.IMAGES_UPLOADED_DLQ), topics.topic(Topics.IMAGES_UPLOADED),
          null, null, line -> { }));
    }
    JsonObject ready = api.awaitStatus(token, id, "ready", READY_WITHIN);
    assertEquals(150, ready.getJsonObject("metadata").getInteger("height"));
    assertEquals(1, topics.byKey(Topics.IMAGES_PROCESSED, id, 1).size());

    // The replayed record delivered again (the offset commit was lost) is not processed twice.
    List<ConsumerRecord<String, String>> uploads = topics.byKey(Topics.IMAGES_UPLOADED, id, 2);
    ConsumerRecord<String, String> replayed = uploads.get(uploads.size() - 1);
    assertNotNull(TestKafka.header(replayed, EventInspector.REPLAYED_FROM));
    topics.awaitConsumed(ImageWorkerVerticle.GROUP, replayed, READY_WITHIN);
    worker.close();
    topics.rewind(ImageWorkerVerticle.GROUP, replayed);
    worker = ImageApp.worker(env);
    topics.awaitConsumed(ImageWorkerVerticle.GROUP, replayed, READY_WITHIN);
    assertEquals(1, topics.byKey(Topics.IMAGES_PROCESSED, id, 1).size(), "no second images.processed");
    assertEquals(1, topics.byKey(Topics.IMAGES_UPLOADED_DLQ, id, 1).size());
    assertEquals(ready, api.get("/api/images/" + id, token).bodyAsJsonObject());
  }

  @Test
  void anImageWhoseFilesCannotBeWrittenIsRetriedThenFailedAndDeadLetteredAndCanBeReprocessed() throws Exception {
    String token = identity.token(UUID.randomUUID());
    byte[] png = TestImages.png(333, 222);
    String sha = sha256(png);
    Path blocker = storage.resolve("thumbs").resolve("256").resolve(sha.substring(0, 2)).resolve(sha + ".jpg");
    Files.createDirectories(blocker);  // a directory where the thumbnail must go: every write of it fails
    Files.writeString(blocker.resolve("in-the-way"), "x");
    String id = api.uploadAccepted(token, "blocked.png", png);

    JsonObject failed = api.awaitStatus(token, id, "failed", READY_WITHIN);
    assertTrue(failed.getString("failureReason").contains("after 3 attempts"), failed.getString("failureReason"));
    List<ConsumerRecord<String, String>> dead = topics.byKey(Topics.IMAGES_UPLOADED_DLQ, id, 1);
    assertEquals(1, dead.size());
    assertEquals(TransientRenderException.class.getName(), TestKafka.header(dead.get(0), DeadLetters.ERROR_CLASS));
    try (var leftovers = Files.list(storage.resolve("tmp"))) {
      assertEquals(0, leftovers.count(), "no partial thumbnail left behind");
    }

    Files.delete(blocker.resolve("in-the-way"));
    Files.delete(blocker);
    HttpResponse<Buffer> again = api.send(io.vertx.core.http.HttpMethod.POST, "/api/images/" + id + "/reprocess", token);
    assertEquals(202, again.statusCode(), again.bodyAsString());
    api.awaitStatus(token, id, "ready", READY_WITHIN);
    assertEquals(1, topics.byKey(Topics.IMAGES_PROCESSED, id, 1).size());
  }

  @Test
  void aWorkerStoppedInTheMiddleOfAJobLeavesItToTheNextWhichFinishesItOnce() throws Exception {
    worker.close();
    CountDownLatch rendering = new CountDownLatch(1);
    ImageApp doomed = ImageApp.worker(env, imageId -> {
      rendering.countDown();
      new CountDownLatch(1).await();  // until the worker is killed: decoded, thumbnails written, nothing committed
    });
    String token = identity.token(UUID.randomUUID());
    List<String> ids = new ArrayList<>();
    List<byte[]> originals = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] png = TestImages.png(400 + i, 300);
      originals.add(png);
      ids.add(api.uploadAccepted(token, "job" + i + ".png", png));
    }
    assertTrue(rendering.await(60, TimeUnit.SECONDS), "a render started");
    doomed.close();
    for (String id : ids) {
      assertEquals("processing", api.get("/api/images/" + id, token).bodyAsJsonObject().getString("status"));
    }

    worker = ImageApp.worker(env);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      JsonObject image = api.awaitStatus(token, id, "ready", READY_WITHIN);
      assertEquals(1, topics.byKey(Topics.IMAGES_PROCESSED, id, 1).size(), "processed once: " + id);
      assertEquals(1L, pool.preparedQuery("select count(*) from images.images where id = $1")
          .execute(Tuple.of(UUID.fromString(id))).await().iterator().next().getLong(0));
      assertArrayEquals(originals.get(i), api.get(image.getString("url"), null).body().getBytes());
      for (String size : List.of("256", "1024")) {
        BufferedImage thumb = decode(api.get(image.getJsonObject("thumbnails").getString(size), null));
        assertEquals(Math.min(Integer.parseInt(size), 400 + i), Math.max(thumb.getWidth(), thumb.getHeight()));
      }
    }
  }

  @Test
  void theWorkerIsReadyWhenItsDependenciesAre() {
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> ready = ImageClient.await(client.get(worker.managementPort, "127.0.0.1", "/health/ready")
        .timeout(5000).send());
    client.close();
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    assertEquals("UP", ready.bodyAsJsonObject().getString("status"));
  }

  private ConsumerRecord<String, String> publishCopy(ConsumerRecord<String, String> original, Map<String, String> extra)
      throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
        infra.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> copy = new ProducerRecord<>(original.topic(), null, original.key(),
          original.value(), original.headers());
      extra.forEach((k, v) -> copy.headers().add(k, v.getBytes()));
      var md = producer.send(copy).get(30, TimeUnit.SECONDS);
      return new ConsumerRecord<>(md.topic(), md.partition(), md.offset(), original.key(), original.value());
    }
  }

  private static BufferedImage decode(HttpResponse<Buffer> res) throws Exception {
    assertEquals(200, res.statusCode());
    assertEquals("image/jpeg", res.getHeader("content-type"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(res.body().getBytes()));
    assertNotNull(img, "a decodable JPEG");
    return img;
  }
}
