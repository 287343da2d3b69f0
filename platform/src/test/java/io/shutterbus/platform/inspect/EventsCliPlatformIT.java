package io.shutterbus.platform.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.platform.PlatformExtension;
import io.shutterbus.platform.PlatformUnderTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The events CLI as an operator runs it ({@code bin/events}, the real jar in a child process)
 * against the running platform, after real registrations and uploads went through the gateway.
 */
@ExtendWith(PlatformExtension.class)
class EventsCliPlatformIT {
  static final Path WRAPPER = Path.of("..", "bin", "events");
  static PlatformUnderTest platform;
  static Vertx vertx;
  static WebClient client;
  static String token;
  static String userId;

  @BeforeAll
  static void signUp(PlatformUnderTest given) throws Exception {
    platform = given;
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(Integer.parseInt(platform.env.get("GATEWAY_PORT"))));
    String email = "cli-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    JsonObject reg = new JsonObject().put("email", email).put("password", "correct horse battery").put("name", "Cli User");
    HttpResponse<Buffer> registered = client.post("/api/auth/register").sendJsonObject(reg).await(15, TimeUnit.SECONDS);
    assertEquals(201, registered.statusCode(), registered.bodyAsString());
    userId = registered.bodyAsJsonObject().getString("id");
    token = client.post("/api/auth/login").sendJsonObject(new JsonObject().put("email", email)
        .put("password", "correct horse battery")).await(15, TimeUnit.SECONDS).bodyAsJsonObject().getString("accessToken");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  record Run(int code, List<String> out, String err) {
  }

  /** {@code bin/events --bootstrap-server <the platform's Kafka> args...}, bounded in time. */
  static Run events(String... args) throws Exception {
    assertTrue(Files.isExecutable(WRAPPER), WRAPPER.toAbsolutePath() + " missing");
    List<String> command = new ArrayList<>(List.of(WRAPPER.toString(), "--bootstrap-server", platform.kafkaBootstrap()));
    command.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(command).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "events " + String.join(" ", args) + " did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList(), err);
  }

  static byte[] png(long seed) throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static JsonObject upload(byte[] bytes) throws Exception {
    HttpResponse<Buffer> res = client.post("/api/images").bearerTokenAuthentication(token)
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("image", "picture.png", Buffer.buffer(bytes), "image/png"))
        .await(30, TimeUnit.SECONDS);
    assertEquals(202, res.statusCode(), res.bodyAsString());
    return res.bodyAsJsonObject();
  }

  static JsonObject awaitImage(String id, Predicate<JsonObject> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      last = client.get("/api/images/" + id).bearerTokenAuthentication(token).send().await(10, TimeUnit.SECONDS)
          .bodyAsJsonObject();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("image " + id + " never reached the expected state: " + last);
  }

  @Test
  void tailShowsARegistrationWithTheEmailMasked() throws Exception {
    Run first = events("tail", "users.registered", "--from-beginning", "--json", "--max", "1");
    assertEquals(0, first.code(), first.err());
    assertEquals(1, first.out().size(), String.join("\n", first.out()));
    JsonObject event = new JsonObject(first.out().get(0));
    assertEquals("users.registered", event.getString("topic"));
    assertEquals("shutterbus.user.registered.v1", event.getJsonObject("headers").getString("ce_type"));
    assertTrue(event.getJsonObject("value").getString("email").matches(".\\*\\*\\*@[a-z.]+"), event.encode());

    Run mine = succeeded(events("tail", "users.registered", "--from-beginning", "--json", "--key", userId));
    assertEquals(1, mine.out().size(), String.join("\n", mine.out()));
    assertEquals("c***@example.com", new JsonObject(mine.out().get(0)).getJsonObject("value").getString("email"));
    assertFalse(String.join("\n", mine.out()).contains("cli-"), "the address is masked");
  }

  @Test
  void groupsShowTheWorkerCaughtUpOnceProcessingIsDone() throws Exception {
    JsonObject accepted = upload(png(7));
    awaitImage(accepted.getString("id"), i -> "ready".equals(i.getString("status")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<JsonObject> rows = List.of();
    while (System.nanoTime() < deadline) {
      Run groups = events("groups", "--group", "image-worker", "--json");
      assertEquals(0, groups.code(), groups.err());
      rows = groups.out().stream().map(JsonObject::new).toList();
      if (!rows.isEmpty() && rows.stream().allMatch(r -> r.getLong("lag") == 0)) {
        break;
      }
      Thread.sleep(500);
    }
    assertFalse(rows.isEmpty(), "group image-worker is listed");
    assertTrue(rows.stream().allMatch(r -> "images.uploaded".equals(r.getString("topic"))), rows.toString());
    assertTrue(rows.stream().allMatch(r -> r.getLong("lag") == 0), rows.toString());
    Run table = succeeded(events("groups"));
    assertTrue(table.out().stream().anyMatch(l -> l.startsWith("image-worker ")), String.join("\n", table.out()));
  }

  @Test
  void aDeadLetterReplayedIsProcessedAgain() throws Exception {
    byte[] good = png(11);
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    JsonObject accepted = upload(truncated);
    String id = accepted.getString("id");
    JsonObject failed = awaitImage(id, i -> "failed".equals(i.getString("status")));
    assertTrue(failed.getString("failureReason") != null && !failed.getString("failureReason").isBlank(), failed.encode());
    assertEquals(1, failuresOf(id), "one images.failed event");
    Run dlq = succeeded(events("tail", "images.uploaded.dlq", "--from-beginning", "--json", "--key", id));
    assertEquals(1, dlq.out().size(), String.join("\n", dlq.out()));
    JsonObject deadLetter = new JsonObject(dlq.out().get(0));
    assertTrue(deadLetter.getJsonObject("headers").containsKey("dlq_error"));

    // Only this test's dead letter: the topic is shared with every other test on this platform.
    Run replay = succeeded(events("replay", "images.uploaded.dlq", "--to", "images.uploaded",
        "--partition", deadLetter.getInteger("partition").toString(),
        "--offset", deadLetter.getLong("offset").toString(), "--max", "1"));
    assertEquals("1 event(s) replayed from images.uploaded.dlq to images.uploaded",
        replay.out().get(replay.out().size() - 1), String.join("\n", replay.out()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (failuresOf(id) < 2 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertEquals(2, failuresOf(id), "the replayed event was processed again (and failed again: the bytes are still truncated)");
  }

  static long failuresOf(String imageId) throws Exception {
    return succeeded(events("tail", "images.failed", "--from-beginning", "--json", "--key", imageId)).out().size();
  }

  /** The CLI's exit code is part of its contract: 0 for a command that did its job. */
  static Run succeeded(Run run) {
    assertEquals(0, run.code(), "exit code; stderr: " + run.err());
    return run;
  }
}
