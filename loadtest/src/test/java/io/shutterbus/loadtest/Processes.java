package io.shutterbus.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end with a time bound; what it printed comes back with its exit code. */
final class Processes {
  record Done(int exitCode, String output) {
  }

  private Processes() {
  }

  static Done run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("loadtest-cmd", ".log");
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s:\n" + read(log));
    }
    return new Done(p.exitValue(), read(log));
  }

  /** Fails with an install hint when a tool the tests need is not on the PATH (never a silent skip). */
  static void require(String tool, String debianPackage) throws IOException, InterruptedException {
    Done which = run(Path.of("."), 10, "sh", "-c", "command -v " + tool);
    if (which.exitCode() != 0) {
      throw new AssertionError(tool + " is missing: apt-get install " + debianPackage + " (.ci/run installs it)");
    }
  }

  private static String read(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return text;
  }
}
