package io.shutterbus.observability;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools (promtool, amtool, node, kubectl) and fails loudly when one is missing. */
final class Tools {
  private Tools() {
  }

  record Result(int exit, String output) {
  }

  static Result run(List<String> command, String stdin, long timeoutSeconds) {
    require(command.get(0));
    try {
      Path out = Files.createTempFile("tool", ".out");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      String output = Files.readString(out);
      Files.delete(out);
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs and expects exit 0; returns the output. */
  static String ok(String... command) {
    Result r = run(List.of(command), null, 300);
    if (r.exit() != 0) {
      fail(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
    }
    return r.output();
  }

  /** A missing tool is a failure naming the Debian package, never a skip (see .ci/run). */
  static void require(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    String pkg = switch (tool) {
      case "promtool", "prometheus" -> "prometheus";
      case "amtool", "alertmanager" -> "prometheus-alertmanager";
      case "node", "npm" -> "nodejs npm";
      case "kubectl" -> "kubectl";
      default -> tool;
    };
    fail(tool + " is not installed: apt-get install " + pkg + " (.ci/run does it)");
  }
}
