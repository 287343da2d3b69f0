package io.shutterbus.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An event as it travels over Kafka: CloudEvents 1.0, Kafka protocol binding, binary content mode.
 * The attributes go into {@code ce_*} headers, the JSON data is the record value, and the key is the
 * aggregate id. {@code topic} is the catalogue name without prefix; {@link Topics#name} adds it.
 */
public record EventEnvelope(String id, String type, String source, Instant time, String subject,
                            String topic, String key, JsonObject data) {
  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";
  public static final String CE_SPECVERSION = "ce_specversion";
  public static final String CE_ID = "ce_id";
  public static final String CE_TYPE = "ce_type";
  public static final String CE_SOURCE = "ce_source";
  public static final String CE_TIME = "ce_time";
  public static final String CE_SUBJECT = "ce_subject";
  /** The binary-mode header for the data's media type (no {@code ce_} prefix in the Kafka binding). */
  public static final String HEADER_CONTENT_TYPE = "content-type";

  public EventEnvelope {
    require(id, CE_ID);
    require(type, CE_TYPE);
    require(source, CE_SOURCE);
    if (time == null) {
      throw new InvalidEventException("missing " + CE_TIME);
    }
    require(topic, "topic");
    require(key, "key");
    if (data == null) {
      throw new InvalidEventException("missing event data");
    }
  }

  /** Wraps an event with a fresh id and the current time; subject and key are the aggregate id. */
  public static EventEnvelope of(DomainEvent event, String source) {
    return of(event, source, UUID.randomUUID(), Instant.now());
  }

  public static EventEnvelope of(DomainEvent event, String source, UUID id, Instant time) {
    return new EventEnvelope(id.toString(), event.type(), source, time.truncatedTo(ChronoUnit.MICROS),
        event.key(), event.topic(), event.key(), event.toJson());
  }

  /** The Kafka headers of binary mode, in a stable order. */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(CE_SPECVERSION, SPEC_VERSION);
    h.put(CE_ID, id);
    h.put(CE_TYPE, type);
    h.put(CE_SOURCE, source);
    h.put(CE_TIME, time.toString());
    if (subject != null) {
      h.put(CE_SUBJECT, subject);
    }
    h.put(HEADER_CONTENT_TYPE, CONTENT_TYPE);
    return h;
  }

  /** The record value: the data as compact JSON. */
  public String value() {
    return data.encode();
  }

  /** The record to produce, on this envelope's topic with {@code topics}' prefix. */
  public KafkaProducerRecord<String, String> toRecord(Topics topics) {
    return record(topics.name(topic), key, headers(), value());
  }

  /** A record from stored parts, as the outbox relay has them. */
  public static KafkaProducerRecord<String, String> record(String topicName, String key, Map<String, String> headers,
                                                           String value) {
    KafkaProducerRecord<String, String> r = KafkaProducerRecord.create(topicName, key, value);
    headers.forEach(r::addHeader);
    return r;
  }

  /** Reads a consumed record. {@code topic} becomes the record's topic name as consumed (prefix included). */
  public static EventEnvelope fromRecord(KafkaConsumerRecord<String, String> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (KafkaHeader h : record.headers()) {
      headers.put(h.key(), h.value() == null ? null : h.value().toString());
    }
    return fromParts(record.topic(), record.key(), headers, record.value());
  }

  /** Reads an event from the parts of any Kafka record (also plain kafka-clients ones). */
  public static EventEnvelope fromParts(String topic, String key, Map<String, String> headers, String value) {
    String spec = headers.get(CE_SPECVERSION);
    if (!SPEC_VERSION.equals(spec)) {
      throw new InvalidEventException("unsupported or missing " + CE_SPECVERSION + ": " + spec);
    }
    String contentType = headers.get(HEADER_CONTENT_TYPE);
    if (contentType != null && !contentType.startsWith(CONTENT_TYPE)) {
      throw new InvalidEventException("unsupported content-type " + contentType);
    }
    Instant time;
    try {
      time = Instant.parse(require(headers.get(CE_TIME), CE_TIME));
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(CE_TIME + " is not an RFC 3339 time", e);
    }
    JsonObject data;
    try {
      data = value == null ? null : new JsonObject(value);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidEventException("event data is not a JSON object", e);
    }
    return new EventEnvelope(headers.get(CE_ID), headers.get(CE_TYPE), headers.get(CE_SOURCE), time,
        headers.get(CE_SUBJECT), topic, key, data);
  }

  private static String require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new InvalidEventException("missing " + name);
    }
    return value;
  }
}
