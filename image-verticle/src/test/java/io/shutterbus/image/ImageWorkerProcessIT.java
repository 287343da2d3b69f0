package io.shutterbus.image;

import static io.shutterbus.image.ImageApiIT.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker as a real process: SIGKILLed in the middle of a render, and fed images whose metadata
 * is built to exhaust its memory. The image service runs in this JVM; each test starts its own
 * workers. The group's session timeout is short (6 s), so a killed member's partitions move on soon.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageWorkerProcessIT {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private TestIdentity identity;
  private Path storage;
  private Map<String, String> env;
  private ImageApp service;
  private ImageClient api;
  private TopicReader topics;
  private final List<AutoCloseable> workers = new ArrayList<>();

  @BeforeAll
  void start(Infra infra) throws Exception {
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    identity = new TestIdentity();
    storage = Files.createTempDirectory("image-worker-process-it");
    env = new HashMap<>(infra.env());
    env.putAll(identity.env());
    env.put("IMAGE_STORAGE_DIR", storage.toString());
    env.put("IMAGE_WORKER_MAX_ATTEMPTS", "3");
    env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
    service = ImageApp.service(env);
    api = new ImageClient(service.port);
    topics = new TopicReader(infra.bootstrapServers(), infra.topicPrefix());
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (AutoCloseable w : workers) {
      w.close();
    }
    workers.clear();
  }

  @AfterAll
  void stop() throws Exception {
    api.close();
    service.close();
    identity.close();
  }

  @Test
  void aWorkerKilledWithSigkillInTheMiddleOfARenderLosesNothingAndShowsNoDuplicate() throws Exception {
    String token = identity.token(UUID.randomUUID());
    Map<String, byte[]> uploaded = new LinkedHashMap<>();
    byte[] held = TestImages.png(6000, 6000);  // 36 MP: its decode takes a while, the file open all along
    String heldId = api.uploadAccepted(token, "large.png", held);
    uploaded.put(heldId, held);
    for (int i = 0; i < 6; i++) {
      byte[] png = TestImages.png(300 + i, 200);
      uploaded.put(api.uploadAccepted(token, "burst" + i + ".png", png), png);
    }
    Path original = storage.resolve("originals").resolve(sha256(held).substring(0, 2)).resolve(sha256(held) + ".png");

    WorkerProcess doomed = WorkerProcess.start(env);
    workers.add(doomed);
    doomed.freezeWhileReading(original, READY_WITHIN);  // SIGSTOPped with the original open: mid-render
    assertEquals("processing", api.get("/api/images/" + heldId, token).bodyAsJsonObject().getString("status"));
    assertEquals(137, doomed.kill(), "killed by SIGKILL in the middle of rendering " + heldId);

    // A new worker joins; the dead member's partitions come free after the group's session timeout.
    workers.add(WorkerProcess.start(env));
    for (Map.Entry<String, byte[]> image : uploaded.entrySet()) {
      JsonObject ready = api.awaitStatus(token, image.getKey(), "ready", READY_WITHIN);
      assertArrayEquals(image.getValue(), api.get(ready.getString("url"), null).body().getBytes());
      assertEquals(200, api.get(ready.getJsonObject("thumbnails").getString("256"), null).statusCode());
      assertEquals(1, distinctEventIds(topics.byKey(Topics.IMAGES_PROCESSED, image.getKey(), 1)),
          "one images.processed for " + image.getKey());
    }
    JsonArray listed = api.get("/api/images?limit=100", token).bodyAsJsonObject().getJsonArray("items");
    List<String> ids = new ArrayList<>();
    listed.forEach(item -> ids.add(((JsonObject) item).getString("id")));
    assertEquals(uploaded.size(), ids.size(), "the gallery lists each image once: " + ids);
    assertEquals(uploaded.keySet(), new HashSet<>(ids));
  }

  @Test
  void imagesWithMetadataBuiltToExhaustMemoryLeaveTheWorkerUpAndAreRendered() throws Exception {
    WorkerProcess worker = WorkerProcess.start(env, "-Xmx192m");
    workers.add(worker);
    String token = identity.token(UUID.randomUUID());
    Map<String, byte[]> bombs = new LinkedHashMap<>();
    bombs.put("ztxt.png", MetadataBombs.pngWithZtxt(1L << 30));
    bombs.put("iccp.png", MetadataBombs.pngWithIccp(1L << 30));
    bombs.put("icc.jpg", MetadataBombs.jpegWithIccBomb());
    bombs.put("app-chain.jpg", MetadataBombs.jpegWithAppChain(19 << 20));
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, byte[]> bomb : bombs.entrySet()) {
      ids.add(api.uploadAccepted(token, bomb.getKey(), bomb.getValue()));
    }
    String normal = api.uploadAccepted(token, "after.png", TestImages.png(320, 240));

    for (int i = 0; i < ids.size(); i++) {
      JsonObject image = api.awaitStatus(token, ids.get(i), "ready", READY_WITHIN);
      assertEquals(16, image.getJsonObject("metadata").getInteger("width"), List.copyOf(bombs.keySet()).get(i));
    }
    assertEquals(320, api.awaitStatus(token, normal, "ready", READY_WITHIN).getJsonObject("metadata")
        .getInteger("width"));
    assertTrue(worker.alive(), "the worker process is still running:\n" + worker.logTail());
  }

  @Test
  void anErrorWhileRenderingFailsTheImageOnceAndIsNeverRetried() throws Exception {
    String token = identity.token(UUID.randomUUID());
    UUID id = UUID.fromString(api.uploadAccepted(token, "error.png", TestImages.png(100, 100)));
    AtomicInteger renders = new AtomicInteger();
    workers.add(ImageApp.worker(env, imageId -> {
      if (imageId.equals(id)) {
        renders.incrementAndGet();
        throw new OutOfMemoryError("Java heap space (thrown by the test)");
      }
    }));

    JsonObject failed = api.awaitStatus(token, id.toString(), "failed", READY_WITHIN);
    assertTrue(failed.getString("failureReason").contains("OutOfMemoryError"), failed.getString("failureReason"));
    List<ConsumerRecord<String, String>> dead = topics.byKey(Topics.IMAGES_UPLOADED_DLQ, id.toString(), 1);
    assertEquals(1, dead.size(), "dead-lettered once");
    assertEquals(OutOfMemoryError.class.getName(), TestKafka.header(dead.get(0), "dlq_error_class"));
    assertEquals(1, renders.get(), "rendered once, not retried");

    String next = api.uploadAccepted(token, "next.png", TestImages.png(90, 60));
    api.awaitStatus(token, next, "ready", READY_WITHIN);
  }

  private static long distinctEventIds(List<ConsumerRecord<String, String>> records) {
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(TestKafka.header(r, "ce_id")));
    return ids.size();
  }
}
