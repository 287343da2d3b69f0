package io.shutterbus.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky binaries) on 127.0.0.1, its data kept in {@code dataDir} across
 * restarts. A postmaster left running by a previous run that crashed is stopped first, so neither a
 * stale lock nor an orphan process survives a crash.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  public static final String SUPERUSER = "postgres";

  private final Path dataDir;
  private final int port;
  private final boolean stopAtJvmExit;
  private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

  private EmbeddedPostgres(Path dataDir, int port, boolean stopAtJvmExit) {
    this.dataDir = dataDir;
    this.port = port;
    this.stopAtJvmExit = stopAtJvmExit;
  }

  /**
   * Starts PostgreSQL on {@code port} over {@code dataDir} (created and initialised when empty); a
   * JVM shutdown hook stops it if nobody closed it before.
   */
  public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
    return start(dataDir, port, true);
  }

  /**
   * As {@link #start(Path, int)}; with {@code stopAtJvmExit} false no shutdown hook of its own stops
   * the server: for an owner (the platform launcher) whose own shutdown hook stops it last, after
   * the services drained, instead of in parallel with them (a hook of its own would cut the
   * database away from requests still in flight at SIGTERM).
   */
  public static EmbeddedPostgres start(Path dataDir, int port, boolean stopAtJvmExit) throws IOException {
    EmbeddedPostgres pg = new EmbeddedPostgres(dataDir.toAbsolutePath(), port, stopAtJvmExit);
    pg.start();
    return pg;
  }

  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    Files.createDirectories(dataDir);
    stopStalePostmaster(dataDir);
    server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(30))
        .setRegisterShutdownHook(stopAtJvmExit)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "300")
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  /** Stops the server (fast shutdown); the data stays. {@link #start()} brings it back on the same port. */
  public synchronized void stop() throws IOException {
    if (server != null) {
      try {
        server.close();
      } finally {
        server = null;
      }
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  public boolean running() {
    return server != null;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates {@code database} unless it exists. */
  public void createDatabase(String database) throws SQLException {
    if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("create database " + database);
    }
  }

  /**
   * A JVM killed with SIGKILL leaves its postmaster running with the data directory locked. Stop
   * that process (fast shutdown, then kill) before starting, but only if it is a postgres.
   */
  public static void stopStalePostmaster(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      Files.deleteIfExists(pidFile);
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      Files.deleteIfExists(pidFile);
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (handle.isEmpty()) {
      LOG.info("removing stale postmaster.pid (pid {} is gone)", pid);
      Files.deleteIfExists(pidFile);
      return;
    }
    LOG.warn("stopping postgres pid {} left running by a previous run", pid);
    signal(pid, "INT");
    if (!waitForExit(handle.get(), 10)) {
      handle.get().destroyForcibly();
      waitForExit(handle.get(), 5);
    }
    Files.deleteIfExists(pidFile);
  }

  private static void signal(long pid, String signal) throws IOException {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean waitForExit(ProcessHandle h, int seconds) {
    try {
      h.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return !h.isAlive();
    }
  }
}
