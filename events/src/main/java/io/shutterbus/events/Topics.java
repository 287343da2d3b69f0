package io.shutterbus.events;

import io.shutterbus.kit.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topic catalogue. Names are the design's; {@code prefix} is empty in production and gives each
 * test class topics of its own on a shared broker. Keys are always the aggregate id.
 */
public record Topics(String prefix) {
  public static final String USERS_REGISTERED = "users.registered";
  public static final String IMAGES_UPLOADED = "images.uploaded";
  public static final String IMAGES_PROCESSED = "images.processed";
  public static final String IMAGES_FAILED = "images.failed";
  public static final String IMAGES_UPLOADED_DLQ = "images.uploaded.dlq";
  public static final String IMAGES_DELETED = "images.deleted";
  /** Dead letters of consumer group {@code auth} (images.processed, images.deleted); {@code <group>.dlq}. */
  public static final String AUTH_DLQ = "auth.dlq";
  /** Dead letters of consumer group {@code image} (users.registered). */
  public static final String IMAGE_DLQ = "image.dlq";
  /** Every topic of the catalogue, unprefixed. */
  public static final List<String> ALL = List.of(
      USERS_REGISTERED, IMAGES_UPLOADED, IMAGES_PROCESSED, IMAGES_FAILED, IMAGES_UPLOADED_DLQ, IMAGES_DELETED,
      AUTH_DLQ, IMAGE_DLQ);
  public static final int PARTITIONS = 3;

  public Topics {
    prefix = prefix == null ? "" : prefix;
  }

  public static Topics of(KafkaSettings kafka) {
    return new Topics(kafka.topicPrefix());
  }

  public String name(String topic) {
    return prefix + topic;
  }

  public List<String> all() {
    return ALL.stream().map(this::name).toList();
  }

  /** Creates every topic of the catalogue that does not exist yet (single-broker replication in embedded mode). */
  public Future<Void> ensure(KafkaAdminClient admin, short replicationFactor) {
    List<NewTopic> topics = all().stream()
        .map(t -> new NewTopic(t, PARTITIONS, replicationFactor)
            .setConfig(Map.of("min.insync.replicas", replicationFactor > 1 ? "2" : "1")))
        .toList();
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.getName())).toList();
      return missing.isEmpty() ? Future.<Void>succeededFuture() : admin.createTopics(missing)
          .recover(err -> err instanceof TopicExistsException ? Future.succeededFuture() : Future.failedFuture(err));
    });
  }
}
