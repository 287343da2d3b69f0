package io.shutterbus.loadtest.gatling;

import io.gatling.javaapi.core.Session;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every request as one CSV row (offset, scenario, name, status, latency, ok), the shape loadtest/run
 * draws and summarises for hey and Gatling alike. Gatling's own simulation.log is binary, so the
 * simulations write this too. Without the {@code requestLog} property nothing is written.
 */
final class RequestLog {
  static final String STATUS = "loadtest.status";
  static final String LATENCY = "loadtest.latencyMs";
  private static final long START = System.nanoTime();
  private static BufferedWriter out;

  private RequestLog() {
  }

  static synchronized void open(String path) {
    if (path == null || path.isBlank() || out != null) {
      return;
    }
    try {
      out = Files.newBufferedWriter(Path.of(path));
      out.write("offset_s,scenario,name,status,latency_ms,ok\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request just made: its status and latency come from the checks {@link Steps} adds. */
  static Session requestDone(Session session, String scenario, String name, int expected) {
    int status = session.contains(STATUS) ? session.getInt(STATUS) : 0;
    long latency = session.contains(LATENCY) ? session.getLong(LATENCY) : 0;
    write(scenario, name, status, latency, status == expected);
    return session.remove(STATUS).remove(LATENCY);
  }

  /** A measured span that is not one request (accepted_to_ready). */
  static void span(String scenario, String name, long millis) {
    write(scenario, name, 200, millis, true);
  }

  private static synchronized void write(String scenario, String name, int status, long latencyMs, boolean ok) {
    if (out == null) {
      return;
    }
    double end = (System.nanoTime() - START) / 1e9;
    double offset = Math.max(0, end - latencyMs / 1000.0);
    try {
      out.write(String.format(Locale.ROOT, "%.4f,%s,%s,%d,%d,%d%n", offset, scenario, name, status, latencyMs, ok ? 1 : 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out = null;
  }
}
