package io.shutterbus.events.inspect;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Blocking inspection of a Kafka cluster, shared by the {@code events} CLI and the gateway's admin
 * API (which runs it on worker threads). It reads with {@code assign()} and never joins a consumer
 * group, so inspecting changes no offsets.
 */
public final class EventInspector implements AutoCloseable {
  public static final String REPLAYED_FROM = "shutterbus_replayed_from";
  public static final String REPLAYED_AT = "shutterbus_replayed_at";
  private final KafkaAccess kafka;

  private EventInspector(KafkaAccess kafka) {
    this.kafka = kafka;
  }

  /** Connects and checks the cluster answers; {@link KafkaUnreachableException} otherwise. */
  public static EventInspector connect(String bootstrap) {
    KafkaAccess kafka = new KafkaAccess(bootstrap);
    try {
      kafka.checkReachable();
      return new EventInspector(kafka);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  public record TopicStats(String name, int partitions, long endOffsets, long messages) {
  }

  public record GroupLag(String group, String state, int members, String topic, int partition, long committed,
                         long end) {
    public long lag() {
      return Math.max(0, end - committed);
    }
  }

  public List<TopicStats> topics(boolean internal) throws Exception {
    var names = new TreeSet<>(kafka.admin.listTopics(new ListTopicsOptions().listInternal(internal))
        .names().get(10, TimeUnit.SECONDS));
    Map<String, TopicDescription> descriptions = kafka.admin.describeTopics(names).allTopicNames()
        .get(10, TimeUnit.SECONDS);
    Offsets offsets = Offsets.of(kafka, descriptions.values().stream()
        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList());
    return names.stream().map(n -> {
      List<TopicPartition> parts = descriptions.get(n).partitions().stream()
          .map(p -> new TopicPartition(n, p.partition())).toList();
      long end = parts.stream().mapToLong(offsets::end).sum();
      long count = parts.stream().mapToLong(p -> offsets.end(p) - offsets.begin(p)).sum();
      return new TopicStats(n, parts.size(), end, count);
    }).toList();
  }

  public List<GroupLag> groups(String only) throws Exception {
    Collection<ConsumerGroupListing> listings = kafka.admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
    List<String> ids = listings.stream().map(ConsumerGroupListing::groupId)
        .filter(g -> only == null || only.equals(g)).sorted().toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, ConsumerGroupDescription> descriptions = kafka.admin.describeConsumerGroups(ids).all()
        .get(10, TimeUnit.SECONDS);
    List<GroupLag> rows = new ArrayList<>();
    for (String id : ids) {
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(kafka.admin.listConsumerGroupOffsets(id)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS));
      committed.values().removeIf(Objects::isNull);
      Offsets offsets = Offsets.of(kafka, committed.keySet());
      ConsumerGroupDescription d = descriptions.get(id);
      committed.forEach((tp, om) -> rows.add(new GroupLag(id, d.state().toString(), d.members().size(),
          tp.topic(), tp.partition(), om.offset(), offsets.end(tp))));
    }
    rows.sort(Comparator.comparing(GroupLag::group).thenComparing(GroupLag::topic).thenComparingInt(GroupLag::partition));
    return rows;
  }

  /**
   * Reads what {@code query} asks for and hands each kept event to {@code sink}, until the end
   * offsets seen at the start (or, with follow, until {@code cancelled} says so) or the limit.
   * Returns how many events were handed over.
   */
  public int read(EventQuery query, Consumer<RecordView> sink, BooleanSupplier cancelled) throws Exception {
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer()) {
      List<TopicPartition> parts = partitions(consumer, query.topic(), query.partition());
      consumer.assign(parts);
      Offsets offsets = Offsets.of(kafka, parts);
      seek(consumer, parts, offsets, query);
      int handed = 0;
      while ((query.limit() == null || handed < query.limit()) && !cancelled.getAsBoolean()) {
        if (!query.follow() && parts.stream().allMatch(p -> consumer.position(p) >= offsets.end(p))) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (!query.follow() && r.offset() >= offsets.end(new TopicPartition(r.topic(), r.partition()))) {
            continue;  // arrived after the start: only a follow shows those
          }
          RecordView view = RecordView.of(r, query.unmask());
          if (!view.matches(query.key(), query.text())) {
            continue;
          }
          sink.accept(view);
          if (query.limit() != null && ++handed >= query.limit()) {
            break;
          }
        }
      }
      return handed;
    }
  }

  public List<RecordView> read(EventQuery query) throws Exception {
    List<RecordView> views = new ArrayList<>();
    read(query, views::add, () -> false);
    return views;
  }

  /**
   * Re-drives the events of {@code source} present now (from {@code fromOffset} of each partition,
   * or the oldest) into {@code target}, keeping key and headers and adding where they came from.
   * {@code sent} hears of each one. Returns how many were sent.
   */
  public int replay(String source, String target, Long fromOffset, Integer max,
                    Consumer<String> sent) throws Exception {
    return replay(source, target, null, fromOffset, max, sent);
  }

  /** As {@link #replay(String, String, Long, Integer, Consumer)}, from one partition of the source when given. */
  public int replay(String source, String target, Integer partition, Long fromOffset, Integer max,
                    Consumer<String> sent) throws Exception {
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
         KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      List<TopicPartition> parts = partitions(consumer, source, partition);
      partitions(consumer, target, null);
      Offsets offsets = Offsets.of(kafka, parts);
      consumer.assign(parts);
      for (TopicPartition p : parts) {
        consumer.seek(p, fromOffset == null ? offsets.begin(p) : Math.max(offsets.begin(p), fromOffset));
      }
      int count = 0;
      byte[] now = Instant.now().toString().getBytes(StandardCharsets.UTF_8);
      while ((max == null || count < max) && !parts.stream().allMatch(p -> consumer.position(p) >= offsets.end(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= offsets.end(new TopicPartition(r.topic(), r.partition())) || (max != null && count >= max)) {
            continue;
          }
          RecordHeaders headers = new RecordHeaders(r.headers().toArray());
          headers.remove(REPLAYED_FROM);
          headers.remove(REPLAYED_AT);
          String from = r.topic() + "/" + r.partition() + "@" + r.offset();
          headers.add(REPLAYED_FROM, from.getBytes(StandardCharsets.UTF_8));
          headers.add(REPLAYED_AT, now);
          RecordMetadata md = producer.send(new ProducerRecord<>(target, null, r.key(), r.value(), headers))
              .get(20, TimeUnit.SECONDS);
          count++;
          sent.accept(from + " -> " + md.topic() + "/" + md.partition() + "@" + md.offset());
        }
      }
      return count;
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, Integer only) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(KafkaAccess.CONNECT_TIMEOUT_MS));
    if (infos == null || infos.isEmpty()) {
      throw NoSuchTopicException.topic(topic);
    }
    List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
        .filter(p -> only == null || p.partition() == only)
        .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    if (parts.isEmpty()) {
      throw new NoSuchTopicException(topic + " has no partition " + only);
    }
    return parts;
  }

  private static void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, Offsets offsets,
                           EventQuery q) {
    Map<TopicPartition, Long> byTime = new HashMap<>();
    if (q.since() != null) {
      Map<TopicPartition, Long> ask = new HashMap<>();
      parts.forEach(p -> ask.put(p, q.since().toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(ask,
          Duration.ofMillis(KafkaAccess.CONNECT_TIMEOUT_MS));
      parts.forEach(p -> byTime.put(p, found.get(p) == null ? offsets.end(p) : found.get(p).offset()));
    }
    for (TopicPartition p : parts) {
      long start;
      if (q.fromBeginning()) {
        start = offsets.begin(p);
      } else if (q.offset() != null) {
        start = Math.max(offsets.begin(p), Math.min(q.offset(), offsets.end(p)));
      } else if (q.since() != null) {
        start = byTime.get(p);
      } else {
        start = Math.max(offsets.begin(p), offsets.end(p) - q.last());
      }
      consumer.seek(p, start);
    }
  }

  @Override
  public void close() {
    kafka.close();
  }
}
