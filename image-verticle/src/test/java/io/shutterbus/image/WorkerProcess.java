package io.shutterbus.image;

import io.shutterbus.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The image worker as a real operating-system process: a child JVM running
 * {@link ImageWorkerService#main} with the test's classpath and the given environment, as its
 * container runs it. {@link #kill()} is SIGKILL: no shutdown hook, no stop(), no offset commit.
 */
final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  final int managementPort;

  private WorkerProcess(Process process, Path log, int managementPort) {
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
  }

  /** Starts the worker and waits until its readiness check answers 200. */
  static WorkerProcess start(Map<String, String> env, String... jvmOptions) throws Exception {
    int port = FreePorts.next();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ImageWorkerService.class.getName()));
    Path log = Files.createTempFile(Path.of("target"), "image-worker-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("IMAGE_WORKER_MANAGEMENT_PORT", Integer.toString(port));
    builder.environment().put("SHUTTERBUS_BIND_HOST", "127.0.0.1");
    WorkerProcess worker = new WorkerProcess(builder.start(), log, port);
    worker.awaitReady(Duration.ofSeconds(90));
    return worker;
  }

  private void awaitReady(Duration within) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the worker process ended with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> res = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + managementPort + "/health/ready")).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("the worker process was not ready within " + within + ":\n" + logTail());
  }

  /**
   * Waits until the process has {@code file} open, then stops it (SIGSTOP) with the file still open:
   * frozen in the middle of reading it. A stop that came a moment too late is undone (SIGCONT) and
   * the wait goes on.
   */
  void freezeWhileReading(Path file, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (hasOpen(file)) {
        signal("STOP");
        if (hasOpen(file)) {
          return;
        }
        signal("CONT");
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("the worker never opened " + file + ":\n" + logTail());
  }

  private boolean hasOpen(Path file) throws IOException {
    Path target = file.toAbsolutePath();
    try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(target);
        } catch (IOException gone) {
          return false;
        }
      });
    }
  }

  private void signal(String name) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill -" + name + " failed with " + rc);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL, then waits for the process to be gone; answers its exit status (137 for a kill). */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the worker process survived SIGKILL");
    }
    return process.exitValue();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();  // SIGTERM: the orderly stop of a container
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
