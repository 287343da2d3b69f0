package io.shutterbus.observability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** platform/target/shutterbus.jar as a child process on free ports, as a person would start it. */
final class PlatformProcess implements AutoCloseable {
  static final Path JAR = Path.of("..", "platform", "target", "shutterbus.jar");
  /** Service name → management port variable, in the order of local.yml. */
  static final Map<String, String> MANAGEMENT = new LinkedHashMap<>();

  static {
    MANAGEMENT.put("gateway", "GATEWAY_MANAGEMENT_PORT");
    MANAGEMENT.put("auth", "AUTH_MANAGEMENT_PORT");
    MANAGEMENT.put("image", "IMAGE_MANAGEMENT_PORT");
    MANAGEMENT.put("image-worker", "IMAGE_WORKER_MANAGEMENT_PORT");
    MANAGEMENT.put("portal", "PORTAL_MANAGEMENT_PORT");
  }

  final Map<String, String> env = new LinkedHashMap<>();
  final Path dataDir;
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private PlatformProcess(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    List<Integer> ports = freePorts(13);
    String[] vars = {"GATEWAY_PORT", "AUTH_PORT", "IMAGE_PORT", "PORTAL_PORT", "GATEWAY_MANAGEMENT_PORT",
        "AUTH_MANAGEMENT_PORT", "IMAGE_MANAGEMENT_PORT", "IMAGE_WORKER_MANAGEMENT_PORT", "PORTAL_MANAGEMENT_PORT",
        "EMBEDDED_PG_PORT", "EMBEDDED_KAFKA_PORT", "EMBEDDED_KAFKA_CONTROLLER_PORT"};
    for (int i = 0; i < vars.length; i++) {
      env.put(vars[i], String.valueOf(ports.get(i)));
    }
    env.put("SHUTTERBUS_DATA_DIR", dataDir.toString());
    // A loaded CI machine can take longer than the default 1.5 s to open the first connections.
    env.put("PG_CONNECT_TIMEOUT_MS", "5000");
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx768m", "-jar", JAR.toString()).redirectErrorStream(true);
    pb.environment().putAll(env);
    process = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "platform-output");
    reader.setDaemon(true);
    reader.start();
  }

  static PlatformProcess start(Path dataDir, long timeoutSeconds) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: build it first (mvn -B -DskipTests package)");
    }
    PlatformProcess p = new PlatformProcess(dataDir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (p.output.stream().noneMatch(l -> l.contains("Shutterbus is up"))) {
      if (!p.process.isAlive() || System.nanoTime() > deadline) {
        p.close();
        throw new IllegalStateException("the platform did not come up:\n" + p.output());
      }
      Thread.sleep(250);
    }
    return p;
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + env.get("GATEWAY_PORT");
  }

  int managementPort(String service) {
    return Integer.parseInt(env.get(MANAGEMENT.get(service)));
  }

  String output() {
    return String.join("\n", output);
  }

  /** The embedded PostgreSQL runs as its own process (pg_ctl daemonizes it): its pid from the data dir. */
  long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static List<Integer> freePorts(int n) throws IOException {
    Set<Integer> seen = new HashSet<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      while (seen.size() < n) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        seen.add(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return new ArrayList<>(seen);
  }
}
