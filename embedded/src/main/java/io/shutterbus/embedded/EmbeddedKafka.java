package io.shutterbus.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) inside this JVM, listening on
 * 127.0.0.1. Its log directory survives restarts: it is formatted once, on first start.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  private EmbeddedKafka(Path logDir, int port, int controllerPort) {
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  public static EmbeddedKafka start(Path logDir, int port, int controllerPort) throws IOException {
    EmbeddedKafka kafka = new EmbeddedKafka(logDir.toAbsolutePath(), port, controllerPort);
    kafka.start();
    return kafka;
  }

  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    Files.createDirectories(logDir);
    Properties props = properties();
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(props);
    }
    KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    s.startup();
    server = s;
  }

  public synchronized void stop() {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } finally {
        server = null;
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  public boolean running() {
    return server != null;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "3");
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.retention.hours", "168");
    p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
    return p;
  }

  private void format(Properties props) throws IOException {
    Path config = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "written by Shutterbus to format the KRaft log directory");
    }
    PrintStream stdout = System.out;
    int rc;
    try {
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));  // the tool narrates to stdout
      rc = StorageTool.execute(new String[] {
          "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"});
    } finally {
      System.setOut(stdout);
      Files.deleteIfExists(config);
    }
    if (rc != 0) {
      throw new IOException("formatting the Kafka log directory " + logDir + " failed with status " + rc);
    }
  }
}
