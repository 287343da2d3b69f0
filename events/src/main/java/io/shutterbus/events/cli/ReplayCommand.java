package io.shutterbus.events.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code events replay SOURCE --to TOPIC}: re-drives the events of SOURCE (a dead-letter topic)
 * into TOPIC, keeping key and headers and adding {@code shutterbus_replayed_from} and
 * {@code shutterbus_replayed_at}. Only events present when it starts are sent, each once.
 */
@Command(name = "replay", description = "Re-drive events (dead letters) from SOURCE into --to TOPIC.")
final class ReplayCommand extends EventsCli.Sub {
  static final String REPLAYED_FROM = "shutterbus_replayed_from";
  static final String REPLAYED_AT = "shutterbus_replayed_at";

  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Option(names = "--to", paramLabel = "TOPIC", required = true, description = "topic to send them to")
  String target;

  @Option(names = "--max", paramLabel = "N", description = "send at most N events")
  Integer max;

  @Option(names = "--offset", paramLabel = "N", description = "start at offset N of each partition (default: the oldest)")
  Long offset;

  @Override
  public Integer call() throws Exception {
    try (KafkaAccess kafka = connect();
         KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
         KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      List<TopicPartition> parts = partitions(consumer, source);
      partitions(consumer, target);
      Offsets offsets = Offsets.of(kafka, parts);
      consumer.assign(parts);
      for (TopicPartition p : parts) {
        consumer.seek(p, offset == null ? offsets.begin(p) : Math.max(offsets.begin(p), offset));
      }
      int sent = 0;
      String now = Instant.now().toString();
      while ((max == null || sent < max) && !parts.stream().allMatch(p -> consumer.position(p) >= offsets.end(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= offsets.end(new TopicPartition(r.topic(), r.partition())) || (max != null && sent >= max)) {
            continue;
          }
          RecordHeaders headers = new RecordHeaders(r.headers().toArray());
          headers.remove(REPLAYED_FROM);
          headers.remove(REPLAYED_AT);
          headers.add(REPLAYED_FROM, (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
          headers.add(REPLAYED_AT, now.getBytes(StandardCharsets.UTF_8));
          Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(target, null, r.key(), r.value(), headers));
          RecordMetadata md = ack.get(20, TimeUnit.SECONDS);
          sent++;
          out().println("replayed " + r.topic() + "/" + r.partition() + "@" + r.offset() + " -> "
              + md.topic() + "/" + md.partition() + "@" + md.offset());
        }
      }
      out().println(sent + " event(s) replayed from " + source + " to " + target);
      return 0;
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(KafkaAccess.CONNECT_TIMEOUT_MS));
    if (infos == null || infos.isEmpty()) {
      throw new EventsCli.NoSuchTopic(topic);
    }
    return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
  }
}
