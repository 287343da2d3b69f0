package io.shutterbus.events.inspect;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka clients for the CLI with short timeouts, so an unreachable broker is an error within a few
 * seconds, never a hang. Reads never join a consumer group: inspecting must not change offsets.
 */
public final class KafkaAccess implements AutoCloseable {
  public static final int CONNECT_TIMEOUT_MS = 6000;
  final String bootstrap;
  final Admin admin;

  public KafkaAccess(String bootstrap) {
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.CLIENT_ID_CONFIG, "shutterbus-events-cli",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(CONNECT_TIMEOUT_MS),
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000"));
  }

  /** Fails with {@link KafkaUnreachableException} unless the cluster answers within the connect timeout. */
  public void checkReachable() {
    try {
      admin.describeCluster().nodes().get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new KafkaUnreachableException(bootstrap);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnreachableException(bootstrap);
    }
  }

  public KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "shutterbus-events-cli");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(CONNECT_TIMEOUT_MS));
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "shutterbus-events-cli");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(CONNECT_TIMEOUT_MS));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(2));
  }

}
