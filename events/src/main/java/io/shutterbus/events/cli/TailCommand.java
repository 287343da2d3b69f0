package io.shutterbus.events.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code events tail TOPIC}: the last 10 events of each partition by default, or from where the
 * options say, filtered, as text or JSON lines; {@code --follow} keeps waiting for new ones.
 */
@Command(name = "tail", description = "Print events of a topic (default: the last 10 per partition).")
final class TailCommand extends EventsCli.Sub {
  private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*([smhd])");

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Option(names = "--from-beginning", description = "start at the oldest event")
  boolean fromBeginning;

  @Option(names = "--offset", paramLabel = "N", description = "start at offset N (of each chosen partition)")
  Long offset;

  @Option(names = "--since", paramLabel = "10m|ISO-TIME", description = "start at events written since then: 30s, 10m, 2h, 1d or 2026-11-26T10:00:00Z")
  String since;

  @Option(names = "--partition", paramLabel = "P", description = "only this partition")
  Integer partition;

  @Option(names = "--key", paramLabel = "K", description = "only events with this key")
  String key;

  @Option(names = "--grep", paramLabel = "TEXT", description = "only events whose value or a header contains TEXT (case-insensitive)")
  String grep;

  @Option(names = "--max", paramLabel = "N", description = "stop after N events")
  Integer max;

  @Option(names = "--follow", description = "keep waiting for new events (Ctrl-C to stop)")
  boolean follow;

  @Option(names = "--json", description = "one JSON object per line: topic, partition, offset, timestamp, key, headers, value")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if ((fromBeginning ? 1 : 0) + (offset != null ? 1 : 0) + (since != null ? 1 : 0) > 1) {
      throw new ParameterException(spec.commandLine(), "choose one start: --from-beginning, --offset or --since");
    }
    Instant sinceTime;
    try {
      sinceTime = since == null ? null : parseSince(since, Instant.now());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (KafkaAccess kafka = connect(); KafkaConsumer<byte[], byte[]> consumer = kafka.consumer()) {
      List<TopicPartition> parts = partitions(consumer);
      consumer.assign(parts);
      Offsets offsets = Offsets.of(kafka, parts);
      seek(consumer, parts, offsets, sinceTime);
      return print(consumer, parts, offsets);
    }
  }

  private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(KafkaAccess.CONNECT_TIMEOUT_MS));
    if (infos == null || infos.isEmpty()) {
      throw new EventsCli.NoSuchTopic(topic);
    }
    List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
        .filter(p -> partition == null || p.partition() == partition).sorted(
            java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
    if (parts.isEmpty()) {
      throw new ParameterException(spec.commandLine(), topic + " has no partition " + partition);
    }
    return parts;
  }

  private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, Offsets offsets, Instant sinceTime) {
    Map<TopicPartition, Long> byTime = new HashMap<>();
    if (sinceTime != null) {
      Map<TopicPartition, Long> query = new HashMap<>();
      parts.forEach(p -> query.put(p, sinceTime.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query,
          Duration.ofMillis(KafkaAccess.CONNECT_TIMEOUT_MS));
      parts.forEach(p -> byTime.put(p, found.get(p) == null ? offsets.end(p) : found.get(p).offset()));
    }
    for (TopicPartition p : parts) {
      long start;
      if (fromBeginning) {
        start = offsets.begin(p);
      } else if (offset != null) {
        start = Math.max(offsets.begin(p), Math.min(offset, offsets.end(p)));
      } else if (sinceTime != null) {
        start = byTime.get(p);
      } else {
        start = Math.max(offsets.begin(p), offsets.end(p) - 10);
      }
      consumer.seek(p, start);
    }
  }

  private int print(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, Offsets offsets) {
    int printed = 0;
    while (max == null || printed < max) {
      if (!follow && parts.stream().allMatch(p -> consumer.position(p) >= offsets.end(p))) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        TopicPartition p = new TopicPartition(r.topic(), r.partition());
        if (!follow && r.offset() >= offsets.end(p)) {
          continue;  // arrived after we started: only --follow shows those
        }
        RecordView view = RecordView.of(r, unmask);
        if (!view.matches(key, grep)) {
          continue;
        }
        out().println(json ? view.toJson().encode() : view.toLine());
        if (max != null && ++printed >= max) {
          break;
        }
      }
      out().flush();
    }
    return 0;
  }

  /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} before {@code now}, or an ISO instant or local date-time (UTC). */
  static Instant parseSince(String text, Instant now) {
    Matcher m = RELATIVE.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("--since takes 30s, 10m, 2h, 1d or an ISO time such as 2026-11-26T10:00:00Z, got '" + text + "'");
      }
    }
  }
}
