package io.shutterbus.events.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events topics}: every topic with partitions, end offsets and message counts. */
@Command(name = "topics", description = "List topics: partitions, end offsets and message counts.")
final class TopicsCommand extends EventsCli.Sub {
  @Option(names = "--all", description = "include Kafka's internal topics")
  boolean all;

  @Override
  public Integer call() throws Exception {
    try (KafkaAccess kafka = connect()) {
      List<TopicStats> stats = stats(kafka, all);
      out().printf("%-40s %10s %14s %14s%n", "TOPIC", "PARTITIONS", "END OFFSETS", "MESSAGES");
      for (TopicStats t : stats) {
        out().printf("%-40s %10d %14d %14d%n", t.name(), t.partitions(), t.endOffsets(), t.messages());
      }
      return 0;
    }
  }

  record TopicStats(String name, int partitions, long endOffsets, long messages) {
  }

  static List<TopicStats> stats(KafkaAccess kafka, boolean internal) throws Exception {
    var names = new TreeSet<>(kafka.admin.listTopics(new ListTopicsOptions().listInternal(internal))
        .names().get(10, TimeUnit.SECONDS));
    Map<String, TopicDescription> descriptions = kafka.admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
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
}
