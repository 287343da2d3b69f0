package io.shutterbus.gateway.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.shutterbus.events.KafkaClients;
import io.shutterbus.events.Topics;
import io.shutterbus.kit.config.KafkaSettings;
import io.shutterbus.kit.run.Shutdown;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the live-update streams: consumes {@code images.processed} and {@code images.failed} in a
 * consumer group of this gateway process alone (every gateway sees every event), starting at the
 * latest offset, and hands each event to the streams of its owner on the local event bus. Nothing
 * is committed: a stream is live only, and a client that reconnects reloads its list.
 */
public final class LiveEvents extends VerticleBase {
  static final String ADDRESS_PREFIX = "gateway.live.";
  private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final KafkaSettings kafka;
  private final Promise<Void> assigned = Promise.promise();
  private KafkaConsumer<String, String> consumer;
  private AutoCloseable consumerMetrics;
  private final MeterRegistry registry;

  public LiveEvents(KafkaSettings kafka) {
    this(kafka, null);
  }

  /** @param registry where the consumer's meters go (the service's); null means Vert.x's default backend */
  public LiveEvents(KafkaSettings kafka, MeterRegistry registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  /** The event-bus address a user's streams listen on. */
  public static String address(String userId) {
    return ADDRESS_PREFIX + userId;
  }

  /** Completes once the consumer has its partitions, from when on new events are seen. */
  public Future<Void> assigned() {
    return assigned.future();
  }

  @Override
  public Future<?> start() {
    Shutdown.enrol(vertx, Shutdown.Stage.CONSUMERS);
    Topics topics = Topics.of(kafka);
    Map<String, String> config = kafka.clientConfig("gateway-live");
    config.put("group.id", "gateway-live-" + UUID.randomUUID());
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    config.put("auto.offset.reset", "latest");
    config.put("enable.auto.commit", "false");
    consumer = KafkaConsumer.create(vertx, config);
    consumerMetrics = KafkaClients.meter(consumer, registry);
    consumer.partitionsAssignedHandler(partitions -> assigned.tryComplete());
    consumer.exceptionHandler(err -> LOG.warn("live events consumer: {}", err.toString()));
    consumer.handler(this::dispatch);
    // Subscribing does not wait for the broker: the gateway serves even while Kafka is away.
    consumer.subscribe(Set.of(topics.name(Topics.IMAGES_PROCESSED), topics.name(Topics.IMAGES_FAILED)))
        .onFailure(err -> LOG.warn("live events: could not subscribe: {}", err.toString()));
    return Future.succeededFuture();
  }

  private void dispatch(KafkaConsumerRecord<String, String> record) {
    boolean processed = record.topic().endsWith(Topics.IMAGES_PROCESSED);
    JsonObject data;
    try {
      data = new JsonObject(record.value());
    } catch (RuntimeException e) {
      LOG.debug("live events: skipping a record that is not JSON on {}", record.topic());
      return;
    }
    Object owner = data.getValue("ownerId");
    if (!(owner instanceof String ownerId) || ownerId.isBlank()) {
      return;
    }
    JsonObject event = new JsonObject()
        .put("event", processed ? "image.processed" : "image.failed")
        .put("id", header(record, "ce_id"))
        .put("data", StreamPayloads.forOwner(data, processed));
    vertx.eventBus().publish(address(ownerId), event, LOCAL);
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    for (KafkaHeader h : record.headers()) {
      if (h.key().equals(name)) {
        return h.value().toString();
      }
    }
    return null;
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture()
        : consumer.close().eventually(() -> {
          KafkaClients.closeQuietly(consumerMetrics);
          return Future.succeededFuture();
        });
  }
}
