package io.shutterbus.platform.images;

import io.shutterbus.kit.config.Env;
import io.shutterbus.platform.Platform;
import io.shutterbus.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;

/**
 * The whole platform in this JVM (embedded PostgreSQL and Kafka, every service) on free ports and
 * a temporary data dir, as {@code java -jar shutterbus.jar} runs it.
 */
final class RunningPlatform implements AutoCloseable {
  static final String[] PORT_VARIABLES = {
      "GATEWAY_PORT", "GATEWAY_MANAGEMENT_PORT", "AUTH_PORT", "AUTH_MANAGEMENT_PORT", "IMAGE_PORT",
      "IMAGE_MANAGEMENT_PORT", "PORTAL_PORT", "PORTAL_MANAGEMENT_PORT", "IMAGE_WORKER_MANAGEMENT_PORT",
      "EMBEDDED_PG_PORT", "EMBEDDED_KAFKA_PORT", "EMBEDDED_KAFKA_CONTROLLER_PORT"};
  final Map<String, String> env = new HashMap<>();
  final Path dataDir;
  private final Platform platform;

  private RunningPlatform(Map<String, String> extra) throws Exception {
    dataDir = Files.createTempDirectory("platform-images-it");
    env.put("SHUTTERBUS_DATA_DIR", dataDir.toString());
    for (String variable : PORT_VARIABLES) {
      env.put(variable, Integer.toString(FreePorts.next()));
    }
    // Many accounts from one address in a few seconds: the tests are not what the limits are for.
    env.putAll(Map.of("GATEWAY_REGISTER_RATE_PER_MINUTE", "10000", "GATEWAY_REGISTER_BURST", "10000",
        "GATEWAY_LOGIN_RATE_PER_MINUTE", "10000", "GATEWAY_LOGIN_BURST", "10000"));
    env.putAll(extra);
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    platform = Platform.start(Env.of(env), new PrintStream(banner, true, StandardCharsets.UTF_8));
  }

  static RunningPlatform start(Map<String, String> extra) throws Exception {
    RunningPlatform running = new RunningPlatform(extra);
    try {
      running.awaitLiveStreamConsumer(Duration.ofSeconds(60));
    } catch (Exception | Error e) {
      running.close();
      throw e;
    }
    return running;
  }

  int gatewayPort() {
    return Integer.parseInt(env.get("GATEWAY_PORT"));
  }

  String kafka() {
    return "127.0.0.1:" + env.get("EMBEDDED_KAFKA_PORT");
  }

  /**
   * The gateway's live-update consumer starts at the latest offset: until it has its partitions,
   * an event would pass it by. Waits for its group to be stable with partitions assigned.
   */
  private void awaitLiveStreamConsumer(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
      while (System.nanoTime() < deadline) {
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
          if (group.groupId().startsWith("gateway-live-")) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(java.util.List.of(group.groupId()))
                .describedGroups().get(group.groupId()).get(10, TimeUnit.SECONDS);
            if (d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
              return;
            }
          }
        }
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the gateway's live-update consumer got no partitions within " + timeout);
  }

  @Override
  public void close() {
    platform.close();
  }
}
