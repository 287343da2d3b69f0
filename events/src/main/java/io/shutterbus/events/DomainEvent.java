package io.shutterbus.events;

import io.vertx.core.json.JsonObject;

/**
 * One event of the catalogue. Each record names its versioned CloudEvents type, its topic
 * (unprefixed) and its Kafka key, which is always the aggregate id, so all events of one user or
 * image land on one partition in order.
 */
public sealed interface DomainEvent permits UserRegistered, ImageUploaded, ImageProcessed, ImageFailed, ImageDeleted {

  /** The CloudEvents type, e.g. {@code shutterbus.user.registered.v1}. */
  String type();

  /** The topic of the catalogue this event goes to, without any prefix. */
  String topic();

  /** The aggregate id: Kafka key and CloudEvents subject. */
  String key();

  /** The event data as it goes on the wire. */
  JsonObject toJson();

  /** Reads the data of an envelope back into its record, chosen by {@code ce_type}. */
  static DomainEvent decode(EventEnvelope envelope) {
    JsonObject data = envelope.data();
    return switch (envelope.type()) {
      case UserRegistered.TYPE -> UserRegistered.fromJson(data);
      case ImageUploaded.TYPE -> ImageUploaded.fromJson(data);
      case ImageProcessed.TYPE -> ImageProcessed.fromJson(data);
      case ImageFailed.TYPE -> ImageFailed.fromJson(data);
      case ImageDeleted.TYPE -> ImageDeleted.fromJson(data);
      default -> throw new InvalidEventException("unknown event type " + envelope.type());
    };
  }
}
