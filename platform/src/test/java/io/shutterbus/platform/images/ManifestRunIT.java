package io.shutterbus.platform.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.embedded.EmbeddedPostgres;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.manifests.Kustomize;
import io.shutterbus.testkit.manifests.Rendered;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests and the code agree: each Deployment of the minikube overlay runs as its own
 * process (its image's main, not the launcher) with exactly the environment, secrets and volumes
 * the rendered Deployment gives it, against PostgreSQL and Kafka set up as the manifests set them
 * up (user, database and password from the generated Secret; the topic Job's topics and
 * partitions). Then every probe the manifests declare answers, and a user's journey through the
 * gateway works: register, sign in, upload, thumbnail ready and served.
 */
class ManifestRunIT {
  /** Logs, volumes and data of the run stay here for a look after a failure (mvn clean removes them). */
  static Path root;
  static Rendered rendered;
  static EmbeddedPostgres postgres;
  static EmbeddedKafka kafka;
  static PodProcesses pods;

  @BeforeAll
  static void startEverythingTheManifestsDescribe() throws Exception {
    root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "manifest-run")), "run-");
    rendered = Kustomize.minikube();
    postgres = EmbeddedPostgres.start(root.resolve("postgres"), FreePorts.next());
    Map<String, String> pg = rendered.data("ConfigMap", "postgres-connection");
    String password = rendered.data("Secret", "postgres-credentials-" + suffix("postgres-credentials")).get("password");
    try (var c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), EmbeddedPostgres.SUPERUSER, "");
         var s = c.createStatement()) {
      // What the postgres image does with POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB.
      s.execute("create role " + pg.get("PG_USER") + " login password '" + password + "'");
      s.execute("create database " + pg.get("PG_DATABASE") + " owner " + pg.get("PG_USER"));
    }
    kafka = EmbeddedKafka.start(root.resolve("kafka"), FreePorts.next(), FreePorts.next());
    createTopicsAsTheJobDoes(rendered.data("ConfigMap", "kafka-topics"));

    pods = new PodProcesses(rendered, root.resolve("pods"));
    pods.external("postgres", 5432, postgres.port());
    pods.external("broker", 9092, kafka.port());
    pods.assignPorts();
    // One after the other, each up (startupProbe) before the next: five JVMs starting at once on
    // this shared 2-core machine starve each other past the 1.5 s PostgreSQL connect timeout.
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (JsonNode d : rendered.kind("Deployment")) {
      pods.start(d);
      JsonNode startup = Rendered.containers(d).get(0).path("startupProbe").path("httpGet");
      awaitOk(http, "http://127.0.0.1:" + pods.localPort(d, startup.path("port")) + startup.path("path").asText(),
          Rendered.name(d) + " startupProbe");
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (pods != null) {
      pods.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void everyProbeInTheManifestsAnswers200AndTheJourneyThroughTheGatewayWorks() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<String> probes = new ArrayList<>();
    for (JsonNode d : rendered.kind("Deployment")) {
      JsonNode c = Rendered.containers(d).get(0);
      for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
        JsonNode get = c.path(kind).path("httpGet");
        int port = pods.localPort(d, get.path("port"));
        String url = "http://127.0.0.1:" + port + get.path("path").asText();
        awaitOk(http, url, Rendered.name(d) + " " + kind);
        probes.add(Rendered.name(d) + " " + kind + " " + get.path("path").asText());
      }
    }
    assertEquals(15, probes.size(), probes.toString());

    int gatewayPort = pods.endpoint("gateway", 8080);
    try (Gateway gateway = new Gateway(gatewayPort)) {
      String token = gateway.newUser("Manifest");
      byte[] png = Pictures.noisyPng(640, 480);
      String id = gateway.uploadAccepted(token, "k8s.png", png);
      JsonObject image = gateway.awaitStatus(token, id, "ready", Duration.ofSeconds(90));
      String thumb = image.getJsonObject("thumbnails").getString("256");
      HttpResponse<Buffer> served = gateway.get(thumb, null);
      assertEquals(200, served.statusCode(), thumb);
      assertEquals("image/jpeg", served.getHeader("content-type"));
      // The Ingress sends /uploads/ straight to the image Service: the same file there.
      int imagePort = pods.endpoint("image", 8082);
      var direct = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + imagePort + thumb)).build(),
          BodyHandlers.ofByteArray());
      assertEquals(200, direct.statusCode());
      assertTrue(Arrays.equals(served.body().getBytes(), direct.body()), "same bytes via gateway and image");
      writeResourceFigures();
      if (LOAD_SECONDS > 0) {
        loadAndWriteFigures(token, gateway.newUser("Uploader"), thumb);
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + pods.logs(), e);
    }
  }

  /**
   * {@code -Dmanifest.load.seconds=N} (off by default, so the suite stays short): N seconds of hey
   * through the gateway at once (GET /api/me, GET a thumbnail, and up to 900 uploads from one
   * prebuilt multipart body), sampling each process's RSS every second. Written to
   * target/manifest-run-load.tsv for manifests/RESOURCES.md; nothing is asserted about speed.
   */
  static final int LOAD_SECONDS = Integer.getInteger("manifest.load.seconds", 0);

  private static void loadAndWriteFigures(String token, String uploaderToken, String thumb) throws Exception {
    String base = "http://127.0.0.1:" + pods.endpoint("gateway", 8080);
    Path body = root.resolve("upload.multipart");
    Files.write(body, new io.shutterbus.testkit.http.Multipart()
        .file("image", "load.png", "image/png", Pictures.noisyPng(640, 480)).build());
    String z = LOAD_SECONDS + "s";
    List<List<String>> drills = List.of(
        List.of("hey", "-z", z, "-c", "16", "-H", "Authorization: Bearer " + token, base + "/api/me"),
        List.of("hey", "-z", z, "-c", "16", base + thumb),
        List.of("hey", "-n", "900", "-c", "4", "-q", "4", "-m", "POST", "-H", "Authorization: Bearer " + uploaderToken,
            "-T", io.shutterbus.testkit.http.Multipart.CONTENT_TYPE, "-D", body.toString(), base + "/api/images"));
    Map<String, long[]> before = new java.util.LinkedHashMap<>();
    Map<String, Long> peak = new java.util.LinkedHashMap<>();
    for (PodProcesses.Pod pod : pods.pods) {
      long[] m = PodProcesses.rssKibAndCpuMillis(pod.process());
      before.put(pod.name(), m);
      peak.put(pod.name(), m[0]);
    }
    long t0 = System.nanoTime();
    List<Process> hey = new ArrayList<>();
    for (int i = 0; i < drills.size(); i++) {
      hey.add(new ProcessBuilder(drills.get(i)).redirectErrorStream(true)
          .redirectOutput(root.resolve("hey-" + i + ".txt").toFile()).start());
    }
    while (hey.stream().anyMatch(Process::isAlive)) {
      for (PodProcesses.Pod pod : pods.pods) {
        peak.merge(pod.name(), PodProcesses.rssKibAndCpuMillis(pod.process())[0], Math::max);
      }
      Thread.sleep(1000);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    StringBuilder sb = new StringBuilder("pod\trss_before_mib\trss_peak_mib\tcpu_seconds\tcpu_cores_avg\n");
    for (PodProcesses.Pod pod : pods.pods) {
      long[] after = PodProcesses.rssKibAndCpuMillis(pod.process());
      double cpu = (after[1] - before.get(pod.name())[1]) / 1000.0;
      sb.append(pod.name()).append('\t').append(before.get(pod.name())[0] / 1024).append('\t')
          .append(peak.get(pod.name()) / 1024).append('\t').append(String.format("%.1f", cpu)).append('\t')
          .append(String.format("%.2f", cpu / wall)).append('\n');
    }
    sb.append("# ").append(String.format("%.0f", wall)).append(" s of load; hey summaries:\n");
    for (int i = 0; i < drills.size(); i++) {
      for (String line : Files.readAllLines(root.resolve("hey-" + i + ".txt"))) {
        if (line.contains("Requests/sec") || line.matches("\\s*\\[\\d{3}]\\s+\\d+ responses") || line.contains("99% in")) {
          sb.append("# ").append(drills.get(i).get(drills.get(i).size() - 1).replace(base, "")).append(": ")
              .append(line.trim()).append('\n');
        }
      }
    }
    Files.writeString(Path.of("target", "manifest-run-load.tsv"), sb.toString());
    System.out.print(sb);
  }

  /** RSS and CPU time of each process after the run: the basis of the manifests' resources (manifests/RESOURCES.md). */
  private static void writeResourceFigures() throws Exception {
    StringBuilder sb = new StringBuilder("pod\trss_mib\tcpu_seconds\n");
    for (PodProcesses.Pod pod : pods.pods) {
      long[] m = PodProcesses.rssKibAndCpuMillis(pod.process());
      sb.append(pod.name()).append('\t').append(m[0] / 1024).append('\t').append(m[1] / 1000.0).append('\n');
    }
    Files.writeString(Path.of("target", "manifest-run-resources.tsv"), sb.toString());
    System.out.print(sb);
  }

  private static void awaitOk(HttpClient http, String url, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        var res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            BodyHandlers.ofString());
        if (res.statusCode() == 200) {
          return;
        }
        last = res.statusCode() + " " + res.body();
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      for (PodProcesses.Pod pod : pods.pods) {
        if (!pod.process().isAlive()) {
          throw new AssertionError(pod.name() + " exited with " + pod.process().exitValue() + "\n" + pods.logs());
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError(what + " " + url + " not 200 within 120 s: " + last + "\n" + pods.logs());
  }

  private static void createTopicsAsTheJobDoes(Map<String, String> topics) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      int partitions = Integer.parseInt(topics.get("KAFKA_TOPIC_PARTITIONS"));
      short replication = Short.parseShort(topics.get("KAFKA_TOPIC_REPLICATION_FACTOR"));
      List<NewTopic> all = Arrays.stream(topics.get("KAFKA_TOPICS").split("\\s+"))
          .map(t -> new NewTopic(t, partitions, replication)
              .configs(Map.of("min.insync.replicas", topics.get("KAFKA_TOPIC_MIN_INSYNC_REPLICAS"))))
          .toList();
      admin.createTopics(all).all().get();
    }
  }

  /** Generated Secrets carry a content hash suffix; find the one of this rendering. */
  private static String suffix(String secret) {
    return rendered.kind("Secret").stream().map(Rendered::name).filter(n -> n.startsWith(secret + "-"))
        .findFirst().orElseThrow(() -> new AssertionError("no generated Secret " + secret)).substring(secret.length() + 1);
  }
}
