package io.shutterbus.platform.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.manifests.Rendered;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs each Deployment of a rendered manifest as a local process, the way its pod would run: the
 * image's main class, the environment the Deployment gives the container (ConfigMaps and generated
 * Secrets resolved), its volumes as directories. Only what a single machine forces is translated:
 * Service hostnames become 127.0.0.1, container ports become free ports, mount paths become temp
 * directories (one shared directory per PVC, so image and image-worker share the store as in the
 * cluster).
 */
final class PodProcesses implements AutoCloseable {
  /** The images' main classes (docs/images.md); the classpath is the platform's shaded jar. */
  static final Map<String, String> MAIN_CLASSES = Map.of(
      "shutterbus/gateway", "io.shutterbus.gateway.GatewayService",
      "shutterbus/auth", "io.shutterbus.auth.AuthService",
      "shutterbus/image", "io.shutterbus.image.ImageService",
      "shutterbus/image-worker", "io.shutterbus.image.ImageWorkerService",
      "shutterbus/portal", "io.shutterbus.portal.PortalService");
  static final Path JAR = Path.of("target", "shutterbus.jar");
  /**
   * The one change to the Deployments' environment. Five cold JVMs on this shared 2-core machine
   * (load often above 20) block their event loops for seconds, so the first PostgreSQL connection
   * of the start-up migration outlasts the 1.5 s default; and a start whose migration connection
   * timed out hangs until ServiceRunner's 60 s deadline (a "Promise already completed" in the SQL
   * pool, reported separately) instead of retrying. A pod restarts and recovers; a test would just
   * fail. Everything else is exactly what the rendered Deployment gives.
   */
  static final Map<String, String> TEST_ONLY_OVERRIDES = Map.of("PG_CONNECT_TIMEOUT_MS", "10000");

  record Pod(String name, Process process, Map<String, String> env, Path log) {
  }

  private final Rendered rendered;
  private final Path root;
  /** "service:port" (Service name and its port) -> the local port that answers it. */
  private final Map<String, Integer> endpoints = new HashMap<>();
  /** container "deployment:containerPort" -> local port. */
  private final Map<String, Integer> containerPorts = new HashMap<>();
  final List<Pod> pods = new ArrayList<>();

  PodProcesses(Rendered rendered, Path root) {
    this.rendered = rendered;
    this.root = root;
  }

  /** A Service of the manifest (PostgreSQL, Kafka) served locally at {@code port}. */
  void external(String service, int servicePort, int localPort) {
    endpoints.put(service + ":" + servicePort, localPort);
  }

  /** Gives every container port of every Deployment a free local port, reachable by Service name. */
  void assignPorts() {
    for (JsonNode d : rendered.kind("Deployment")) {
      for (JsonNode port : Rendered.containers(d).get(0).path("ports")) {
        containerPorts.put(Rendered.name(d) + ":" + port.path("containerPort").asInt(), FreePorts.next());
      }
    }
    for (JsonNode svc : rendered.kind("Service")) {
      for (JsonNode d : rendered.workloadsMatching(svc.path("spec").path("selector"))) {
        if (!"Deployment".equals(d.path("kind").asText())) {
          continue;
        }
        for (JsonNode port : svc.path("spec").path("ports")) {
          JsonNode container = Rendered.containers(d).get(0);
          for (JsonNode cp : container.path("ports")) {
            if (cp.path("name").asText().equals(port.path("targetPort").asText())
                || cp.path("containerPort").asInt() == port.path("targetPort").asInt()) {
              endpoints.put(Rendered.name(svc) + ":" + port.path("port").asInt(),
                  containerPorts.get(Rendered.name(d) + ":" + cp.path("containerPort").asInt()));
            }
          }
        }
      }
    }
  }

  /** The local port of a Deployment's named container port (probes use names). */
  int localPort(JsonNode deployment, JsonNode portRef) {
    for (JsonNode cp : Rendered.containers(deployment).get(0).path("ports")) {
      if (cp.path("name").asText().equals(portRef.asText()) || cp.path("containerPort").asInt() == portRef.asInt(-1)) {
        return containerPorts.get(Rendered.name(deployment) + ":" + cp.path("containerPort").asInt());
      }
    }
    throw new AssertionError(Rendered.id(deployment) + " declares no port " + portRef);
  }

  int endpoint(String service, int port) {
    Integer local = endpoints.get(service + ":" + port);
    if (local == null) {
      throw new AssertionError("no Service " + service + " with port " + port + " in the manifests");
    }
    return local;
  }

  Pod start(JsonNode deployment) throws IOException {
    String name = Rendered.name(deployment);
    JsonNode container = Rendered.containers(deployment).get(0);
    String image = container.path("image").asText();
    String main = MAIN_CLASSES.get(image.substring(0, image.lastIndexOf(':')));
    if (main == null) {
      throw new AssertionError(name + ": no main class known for image " + image);
    }
    Path podDir = Files.createDirectories(root.resolve(name));
    Map<String, Path> mounts = mounts(deployment, container, podDir);
    Map<String, String> env = new LinkedHashMap<>();
    // The image's own ENV (docs/images.md), bound to loopback: this machine allows loopback only.
    env.put("SHUTTERBUS_MODE", "external");
    env.put("SHUTTERBUS_BIND_HOST", "127.0.0.1");
    rendered.env(deployment, name).forEach((k, v) -> env.put(k, localize(deployment, k, v, mounts)));
    env.putAll(TEST_ONLY_OVERRIDES);
    Path tmp = mounts.getOrDefault("/tmp", podDir.resolve("tmp"));
    Files.createDirectories(tmp);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.io.tmpdir=" + tmp, "-Dvertx.cacheDirBase=" + tmp.resolve("vertx-cache"),
        "-cp", JAR.toAbsolutePath().toString(), main);
    pb.environment().clear();
    pb.environment().putAll(env);
    Path log = podDir.resolve(name + ".log");
    StringBuilder header = new StringBuilder("# " + String.join(" ", pb.command()) + "\n");
    env.forEach((k, v) -> header.append("# ").append(k).append('=').append(k.contains("PASSWORD") ? "***" : v).append('\n'));
    Files.writeString(log, header);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Pod pod = new Pod(name, pb.start(), env, log);
    pods.add(pod);
    return pod;
  }

  /** Volumes as local directories: Secret items written out (0600), PVCs shared by claim name, emptyDirs per pod. */
  private Map<String, Path> mounts(JsonNode deployment, JsonNode container, Path podDir) throws IOException {
    Map<String, Path> byMountPath = new HashMap<>();
    for (JsonNode mount : container.path("volumeMounts")) {
      String volumeName = mount.path("name").asText();
      JsonNode volume = null;
      for (JsonNode v : Rendered.podSpec(deployment).path("volumes")) {
        if (v.path("name").asText().equals(volumeName)) {
          volume = v;
        }
      }
      if (volume == null) {
        throw new AssertionError(Rendered.id(deployment) + " mounts undeclared volume " + volumeName);
      }
      Path dir;
      if (volume.has("persistentVolumeClaim")) {
        String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
        rendered.get("PersistentVolumeClaim", claim);
        dir = Files.createDirectories(root.resolve("pvc-" + claim));
      } else if (volume.has("secret")) {
        dir = Files.createDirectories(podDir.resolve("secret-" + volumeName));
        Map<String, String> data = rendered.data("Secret", volume.path("secret").path("secretName").asText());
        Map<String, String> files = new LinkedHashMap<>();
        if (volume.path("secret").has("items")) {
          for (JsonNode item : volume.path("secret").path("items")) {
            files.put(item.path("path").asText(), data.get(item.path("key").asText()));
          }
        } else {
          files.putAll(data);  // no items: every key of the Secret is a file, as the kubelet mounts it
        }
        for (var entry : files.entrySet()) {
          Path file = dir.resolve(entry.getKey());
          Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
          file.toFile().setReadable(false, false);
          file.toFile().setReadable(true, true);
        }
      } else {
        dir = Files.createDirectories(podDir.resolve("emptydir-" + volumeName));
      }
      byMountPath.put(mount.path("mountPath").asText(), dir);
    }
    return byMountPath;
  }

  /** Service hosts to 127.0.0.1 with their local ports, port variables to local ports, mount paths to directories. */
  private String localize(JsonNode deployment, String key, String value, Map<String, Path> mounts) {
    for (var mount : mounts.entrySet()) {
      if (value.startsWith(mount.getKey() + "/") || value.equals(mount.getKey())) {
        return mount.getValue() + value.substring(mount.getKey().length());
      }
    }
    if (key.endsWith("_URL") && value.startsWith("http")) {
      java.net.URI u = java.net.URI.create(value);
      return u.getScheme() + "://127.0.0.1:" + endpoint(u.getHost(), u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath());
    }
    if (key.equals("KAFKA_BOOTSTRAP_SERVERS")) {
      List<String> out = new ArrayList<>();
      for (String hp : value.split(",")) {
        String[] parts = hp.trim().split(":");
        out.add("127.0.0.1:" + endpoint(parts[0], Integer.parseInt(parts[1])));
      }
      return String.join(",", out);
    }
    if (key.equals("PG_HOST")) {
      return "127.0.0.1";
    }
    if (key.equals("PG_PORT")) {
      return String.valueOf(endpoint(rendered.env(deployment, Rendered.name(deployment)).get("PG_HOST"),
          Integer.parseInt(value)));
    }
    if (key.endsWith("_PORT")) {
      return String.valueOf(containerPorts.get(Rendered.name(deployment) + ":" + value));
    }
    return value;
  }

  /** Resident memory (KiB) and CPU seconds so far of a pod's process, from /proc. */
  static long[] rssKibAndCpuMillis(Process p) throws IOException {
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return new long[] {rss, ticks * 10};
  }

  String logs() {
    StringBuilder sb = new StringBuilder();
    for (Pod pod : pods) {
      try {
        List<String> lines = Files.readAllLines(pod.log());
        sb.append("--- ").append(pod.name()).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
      } catch (IOException e) {
        sb.append("--- ").append(pod.name()).append(": ").append(e).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws InterruptedException {
    pods.forEach(p -> p.process().toHandle().destroy());
    for (Pod p : pods) {
      if (!p.process().waitFor(20, TimeUnit.SECONDS)) {
        p.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
