package io.shutterbus.platform;

import io.shutterbus.embedded.EmbeddedKafka;
import io.shutterbus.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Failure drills on the embedded servers, driven through the launcher's standard input
 * ({@code SHUTTERBUS_DRILL_CONSOLE=stdin}, embedded mode only): {@code postgres stop},
 * {@code postgres start}, {@code kafka stop}, {@code kafka start}. Each answers one line,
 * {@code drill: <server> <stopped|started> <epoch ms>} or {@code drill: error <reason>}.
 *
 * <p>Why standard input and not a port: only the process that started the launcher can reach it,
 * so nothing listens, nothing needs a password and nothing can be routed to it by mistake. The
 * servers are stopped the way a dependency goes away (PostgreSQL's fast shutdown, a broker that
 * shuts down) and started again on the same port and data, as the per-service outage tests do.
 */
final class DrillConsole implements AutoCloseable {
  static final String VARIABLE = "SHUTTERBUS_DRILL_CONSOLE";

  private final EmbeddedPostgres postgres;
  private final EmbeddedKafka kafka;
  private final PrintStream out;
  private boolean closed;

  private DrillConsole(EmbeddedPostgres postgres, EmbeddedKafka kafka, PrintStream out) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.out = out;
  }

  /** Reads commands from {@code in} on a daemon thread until end of input or {@link #close()}. */
  static DrillConsole listen(EmbeddedPostgres postgres, EmbeddedKafka kafka, InputStream in, PrintStream out) {
    DrillConsole console = new DrillConsole(postgres, kafka, out);
    Thread reader = new Thread(() -> console.readFrom(in), "shutterbus-drill-console");
    reader.setDaemon(true);
    reader.start();
    out.println("drill console: postgres stop|start, kafka stop|start (one per line)");
    out.flush();
    return console;
  }

  private void readFrom(InputStream in) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank()) {
          answer(run(line.trim()));
        }
      }
    } catch (Exception e) {
      answer("error the console stopped reading: " + e);
    }
  }

  /** One command; the answer without the {@code drill: } prefix. Synchronized with {@link #close()}. */
  synchronized String run(String command) {
    if (closed) {
      return "error the platform is stopping";
    }
    try {
      switch (command) {
        case "postgres stop" -> postgres.stop();
        case "postgres start" -> postgres.start();
        case "kafka stop" -> kafka.stop();
        case "kafka start" -> kafka.start();
        default -> {
          return "error unknown command '" + command + "' (postgres stop|start, kafka stop|start)";
        }
      }
      String server = command.substring(0, command.indexOf(' '));
      return server + (command.endsWith("stop") ? " stopped " : " started ") + System.currentTimeMillis();
    } catch (Exception e) {
      return "error " + command + " failed: " + e;
    }
  }

  private synchronized void answer(String text) {
    out.println("drill: " + text);
    out.flush();
  }

  /** No command runs after this: the platform stops the servers itself. */
  @Override
  public synchronized void close() {
    closed = true;
  }
}
