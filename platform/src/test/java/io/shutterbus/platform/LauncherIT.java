package io.shutterbus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The one-command promise, tested on the real jar in a child process: it comes up with every
 * readiness check UP, refuses a second copy with one line, stops on SIGTERM within 15 s leaving no
 * process behind, keeps its data across restarts and recovers from a crash of the previous run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
  static final String[] PORT_VARIABLES = {
      "GATEWAY_PORT", "GATEWAY_MANAGEMENT_PORT", "AUTH_PORT", "AUTH_MANAGEMENT_PORT", "IMAGE_PORT",
      "IMAGE_MANAGEMENT_PORT", "PORTAL_PORT", "PORTAL_MANAGEMENT_PORT", "IMAGE_WORKER_MANAGEMENT_PORT",
      "EMBEDDED_PG_PORT", "EMBEDDED_KAFKA_PORT", "EMBEDDED_KAFKA_CONTROLLER_PORT"};
  static final Map<String, String> env = new HashMap<>();
  static Path dataDir;
  static Vertx vertx;
  static WebClient client;
  static LauncherProcess launcher;

  @BeforeAll
  static void setUp() throws Exception {
    dataDir = Files.createTempDirectory("launcher-it");
    env.put("SHUTTERBUS_DATA_DIR", dataDir.toString());
    env.put("SHUTTERBUS_SHUTDOWN_GRACE_MS", "2000");  // readiness 503 this long before the ports close
    for (String variable : PORT_VARIABLES) {
      env.put(variable, Integer.toString(FreePorts.next()));
    }
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (launcher != null && launcher.process.isAlive()) {
      launcher.sigterm();
      launcher.awaitExit(20);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String pgUrl() {
    return "jdbc:postgresql://127.0.0.1:" + env.get("EMBEDDED_PG_PORT") + "/shutterbus";
  }

  static String bootstrap() {
    return "127.0.0.1:" + env.get("EMBEDDED_KAFKA_PORT");
  }

  static HttpResponse<Buffer> get(String url) throws Exception {
    return client.getAbs(url).timeout(5000).send().await(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then: exited within 15 s, and nothing it started is still alive. */
  static void stopAndCheckNothingLeft(LauncherProcess l) throws Exception {
    List<ProcessHandle> children = l.children(dataDir);
    assertFalse(children.isEmpty(), "the embedded PostgreSQL should be a child process");
    l.sigterm();
    checkStoppedLeavingNothing(l, children);
  }

  static void checkStoppedLeavingNothing(LauncherProcess l, List<ProcessHandle> children) throws Exception {
    assertTrue(l.awaitExit(15), "not stopped within 15 s:\n" + l.output());
    for (ProcessHandle child : children) {
      child.onExit().get(5, TimeUnit.SECONDS);
      assertFalse(child.isAlive(), "left behind: " + child.pid() + " " + child.info().commandLine().orElse(""));
    }
    assertTrue(l.stdout.contains("Shutterbus stopped"), "exit " + l.process.exitValue() + "\n" + l.output());
  }

  @Test
  @Order(1)
  void comesUpWithEveryReadinessCheckUp() throws Exception {
    launcher = LauncherProcess.start(env);
    launcher.awaitUp(120);
    assertTrue(launcher.stdout.stream().anyMatch(l -> l.contains("http://localhost:" + env.get("GATEWAY_PORT") + "/")),
        "prints the portal URL:\n" + launcher.output());
    assertTrue(launcher.stdout.stream().anyMatch(l -> l.contains("127.0.0.1:" + env.get("EMBEDDED_PG_PORT"))),
        "prints the PostgreSQL address");
    assertTrue(launcher.stdout.stream().anyMatch(l -> l.contains(bootstrap())), "prints the Kafka address");
    Map<String, String> byService = launcher.healthUrlsByService();
    Map<String, String> expected = Map.of(
        "gateway", "GATEWAY_MANAGEMENT_PORT", "auth", "AUTH_MANAGEMENT_PORT", "image", "IMAGE_MANAGEMENT_PORT",
        "image-worker", "IMAGE_WORKER_MANAGEMENT_PORT", "portal", "PORTAL_MANAGEMENT_PORT");
    assertEquals(expected.keySet(), byService.keySet(), "one readiness URL per service:\n" + launcher.output());
    expected.forEach((service, portVariable) -> assertEquals(
        "http://127.0.0.1:" + env.get(portVariable) + "/health/ready", byService.get(service), service));
    List<String> healthUrls = List.copyOf(byService.values());
    for (String url : healthUrls) {
      HttpResponse<Buffer> res = get(url);
      assertEquals(200, res.statusCode(), url + " -> " + res.bodyAsString());
      JsonObject body = res.bodyAsJsonObject();
      assertEquals("UP", body.getString("status"), url);
      body.getJsonArray("checks").forEach(c -> assertEquals("UP", ((JsonObject) c).getString("status"), url + " " + c));
    }
    // Each management port serves its own service's series only, each labelled with it, so a
    // Prometheus scraping all five counts every series once.
    StringBuilder all = new StringBuilder();
    java.util.Set<String> servicesSeen = new java.util.HashSet<>();
    for (String url : healthUrls) {
      String own = get(url.replace("/health/ready", "/metrics")).bodyAsString();
      java.util.Set<String> labels = own.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
          .map(l -> l.replaceAll(".*[{,]service=\"([^\"]*)\".*", "$1")).collect(java.util.stream.Collectors.toSet());
      assertEquals(1, labels.size(), url + " serves series of " + labels);
      assertTrue(servicesSeen.addAll(labels), "two ports serve " + labels);
      all.append(own);
    }
    String metrics = all.toString();
    for (String family : List.of("vertx_http_server_requests_total{", "vertx_pool_", "jvm_memory_used_bytes",
        "kafka_producer_", "kafka_consumer_", "shutterbus_outbox_pending")) {
      assertTrue(metrics.contains(family), "/metrics lacks " + family);
    }
    HttpResponse<Buffer> notFound = get("http://127.0.0.1:" + env.get("GATEWAY_PORT") + "/no/such/page");
    assertEquals(404, notFound.statusCode());
    assertEquals("application/problem+json", notFound.getHeader("content-type"));
  }

  @Test
  @Order(2)
  void secondLauncherOnTheSamePortsFailsWithOneLine() throws Exception {
    LauncherProcess second = LauncherProcess.start(env);
    assertTrue(second.awaitExit(60), "second launcher did not give up");
    assertEquals(1, second.process.exitValue());
    List<String> err = second.stderr.stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, err.size(), second.output());
    assertTrue(err.get(0).matches("shutterbus: port \\d+ is already in use; set [A-Z_]+ to move it"), err.get(0));
    assertTrue(launcher.process.isAlive(), "the first launcher must be unharmed");
  }

  /**
   * SIGTERM with an upload half sent: readiness answers 503 while the public port still serves, the
   * upload is then finished and answered 202 (drained, not cut off), and everything stops within 15 s.
   */
  @Test
  @Order(3)
  void aSigtermTurnsReadinessDownFirstAndLetsARequestInFlightFinish() throws Exception {
    String gateway = "http://127.0.0.1:" + env.get("GATEWAY_PORT");
    String email = "drain-" + System.nanoTime() + "@example.com";
    JsonObject account = new JsonObject().put("email", email).put("password", "correct horse battery").put("name", "Dee");
    assertEquals(201, client.postAbs(gateway + "/api/auth/register").sendJsonObject(account).await(15, TimeUnit.SECONDS).statusCode());
    String token = client.postAbs(gateway + "/api/auth/login").sendJsonObject(new JsonObject().put("email", email)
            .put("password", "correct horse battery"))
        .await(15, TimeUnit.SECONDS).bodyAsJsonObject().getString("accessToken");
    byte[] body = UploadBodies.multipartPng("drain-boundary");
    List<ProcessHandle> children = launcher.children(dataDir);

    try (java.net.Socket upload = new java.net.Socket("127.0.0.1", Integer.parseInt(env.get("GATEWAY_PORT")))) {
      upload.setSoTimeout(20_000);
      java.io.OutputStream out = upload.getOutputStream();
      out.write(("POST /api/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: multipart/form-data; boundary=drain-boundary\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      Thread.sleep(500);  // the gateway has opened the upstream request to image

      launcher.sigterm();
      String readiness = "http://127.0.0.1:" + env.get("GATEWAY_MANAGEMENT_PORT") + "/health/ready";
      int status = 0;
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); status != 503 && System.nanoTime() < deadline; ) {
        status = get(readiness).statusCode();
      }
      assertEquals(503, status, "readiness goes DOWN first");
      assertEquals(200, get(gateway + "/").statusCode(), "the public port still serves while readiness is DOWN");

      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(upload.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      assertEquals("HTTP/1.1 202 Accepted", statusLine, "the upload in flight at SIGTERM completes");
    }
    checkStoppedLeavingNothing(launcher, children);

    launcher = LauncherProcess.start(env);  // the tests below need a running platform
    launcher.awaitUp(120);
  }

  @Test
  @Order(4)
  void restartOverTheSameDataDirKeepsData() throws Exception {
    try (Connection c = DriverManager.getConnection(pgUrl(), "postgres", ""); Statement s = c.createStatement()) {
      s.execute("create table keepsake (note text)");
      s.execute("insert into keepsake values ('still here')");
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafkaProps(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("users.registered", 0, "k1", "{\"kept\":true}")).get(10, TimeUnit.SECONDS);
    }
    stopAndCheckNothingLeft(launcher);

    launcher = LauncherProcess.start(env);
    launcher.awaitUp(120);
    try (Connection c = DriverManager.getConnection(pgUrl(), "postgres", ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select note from keepsake")) {
      assertTrue(rs.next());
      assertEquals("still here", rs.getString(1));
    }
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafkaProps(), new StringDeserializer(), new StringDeserializer())) {
      TopicPartition p0 = new TopicPartition("users.registered", 0);
      consumer.assign(List.of(p0));
      consumer.seekToBeginning(List.of(p0));
      // Other tests' registrations share the partition: this test's record is the one keyed k1.
      List<String> kept = new ArrayList<>();
      long end = consumer.endOffsets(List.of(p0)).get(p0);
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
           consumer.position(p0) < end && System.nanoTime() < deadline; ) {
        consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
          if ("k1".equals(r.key())) {
            kept.add(r.value());
          }
        });
      }
      assertEquals(List.of("{\"kept\":true}"), kept, "the record written before the restart is still there, once");
    }
  }

  @Test
  @Order(5)
  void aCrashOfThePreviousRunLeavesNothingInTheWay() throws Exception {
    List<ProcessHandle> orphans = launcher.children(dataDir);
    launcher.process.destroyForcibly();
    launcher.process.waitFor(10, TimeUnit.SECONDS);
    assertTrue(orphans.stream().anyMatch(ProcessHandle::isAlive), "SIGKILL should orphan the postgres");

    launcher = LauncherProcess.start(env);
    launcher.awaitUp(120);
    for (String url : launcher.healthUrls()) {
      assertEquals(200, get(url).statusCode(), url);
    }
    stopAndCheckNothingLeft(launcher);
    for (ProcessHandle orphan : orphans) {
      assertFalse(orphan.isAlive(), "orphan of the crashed run still alive: " + orphan.pid());
    }
  }

  static Properties kafkaProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap());
    p.put("acks", "all");
    p.put("group.id", "launcher-it");
    return p;
  }
}
