package io.shutterbus.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code java -jar platform/target/shutterbus.jar} as a user runs it, in a child process. */
final class LauncherProcess {
  static final Path JAR = Path.of("target", "shutterbus.jar");
  final Process process;
  final List<String> stdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();

  private final List<Thread> pumps = new ArrayList<>();

  private LauncherProcess(Process process) {
    this.process = process;
    pumps.add(pump(process.getInputStream(), stdout, "out"));
    pumps.add(pump(process.getErrorStream(), stderr, "err"));
  }

  /** SIGTERM as an operator sends it. Process.destroy() would also close our end of its stdout. */
  void sigterm() {
    process.toHandle().destroy();
  }

  /** Waits for the process to end and for everything it printed to be read. */
  boolean awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      return false;
    }
    for (Thread pump : pumps) {
      pump.join(5000);
    }
    return true;
  }

  static LauncherProcess start(Map<String, String> env) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("PG_") || k.startsWith("KAFKA_"));
    pb.environment().putAll(env);
    return new LauncherProcess(pb.start());
  }

  private static Thread pump(java.io.InputStream in, List<String> sink, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "launcher-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the banner; fails with what the launcher printed if it exits or takes too long. */
  void awaitUp(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (stdout.contains("Shutterbus is up")) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("launcher exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("launcher not up within " + seconds + " s:\n" + output());
  }

  /** The readiness URLs the banner lists, one per service. */
  /** The banner's readiness URLs by service name ("  health:     auth http://127.0.0.1:9081/health/ready"). */
  Map<String, String> healthUrlsByService() {
    Map<String, String> urls = new java.util.LinkedHashMap<>();
    for (String line : stdout) {
      String[] words = line.trim().split("\\s+");
      if (words.length == 3 && words[0].equals("health:")) {
        urls.put(words[1], words[2]);
      }
    }
    return urls;
  }

  List<String> healthUrls() {
    List<String> urls = new ArrayList<>();
    for (String line : stdout) {
      if (line.trim().startsWith("health:")) {
        urls.add(line.substring(line.indexOf("http://")));
      }
    }
    return urls;
  }

  /**
   * Every process the launcher started, captured while it runs: its descendants plus the PostgreSQL
   * server on its data dir (pg_ctl daemonizes it, so it is not a descendant).
   */
  List<ProcessHandle> children(Path dataDir) {
    String pgData = dataDir.resolve("postgres").toString();
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(pgData)).orElse(false))
        .forEach(h -> {
          all.add(h);
          all.addAll(h.descendants().toList());
        });
    return all;
  }

  String output() {
    return "--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + String.join("\n", stderr);
  }
}
