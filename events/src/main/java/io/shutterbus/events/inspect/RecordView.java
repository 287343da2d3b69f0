package io.shutterbus.events.inspect;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** One Kafka record as the inspection tools show it: text or one JSON object, e-mails masked unless asked. */
public record RecordView(String topic, int partition, long offset, Instant timestamp, String key,
                         Map<String, String> headers, String value) {

  public static RecordView of(ConsumerRecord<byte[], byte[]> r, boolean unmask) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), maybeMask(text(h.value()), unmask));
    }
    return new RecordView(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
        text(r.key()), headers, maybeMask(text(r.value()), unmask));
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static String maybeMask(String s, boolean unmask) {
    return unmask ? s : Masking.mask(s);
  }

  /** True when the key equals {@code key} (if given) and {@code grep} occurs in the value or a header (if given). */
  public boolean matches(String key, String grep) {
    if (key != null && !key.equals(this.key)) {
      return false;
    }
    if (grep == null) {
      return true;
    }
    String needle = grep.toLowerCase(Locale.ROOT);
    if (value != null && value.toLowerCase(Locale.ROOT).contains(needle)) {
      return true;
    }
    return headers.values().stream().anyMatch(v -> v != null && v.toLowerCase(Locale.ROOT).contains(needle));
  }

  /** The value as JSON when it is JSON, else as a string. */
  public Object valueAsJson() {
    if (value == null) {
      return null;
    }
    try {
      return Json.decodeValue(value);
    } catch (DecodeException e) {
      return value;
    }
  }

  public JsonObject toJson() {
    JsonObject h = new JsonObject();
    headers.forEach(h::put);
    return new JsonObject()
        .put("topic", topic).put("partition", partition).put("offset", offset)
        .put("timestamp", timestamp.toString()).put("key", key)
        .put("headers", h).put("value", valueAsJson());
  }

  /** {@code users.registered/1@42 2026-11-26T10:00:00Z key=… type=…  {json}} */
  public String toLine() {
    String type = headers.getOrDefault("ce_type", "");
    return topic + "/" + partition + "@" + offset + " " + timestamp + " key=" + key
        + (type.isEmpty() ? "" : " type=" + type) + "  " + value;
  }
}
