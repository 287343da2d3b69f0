package io.shutterbus.events.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events groups}: every consumer group, per partition its committed offset, the end offset and the lag. */
@Command(name = "groups", description = "Consumer groups with committed offset, end offset and lag per partition.")
final class GroupsCommand extends EventsCli.Sub {
  @Option(names = "--group", paramLabel = "G", description = "only this group")
  String group;

  @Option(names = "--json", description = "one JSON object per line")
  boolean json;

  record Lag(String group, String state, int members, String topic, int partition, long committed, long end) {
    long lag() {
      return Math.max(0, end - committed);
    }
  }

  @Override
  public Integer call() throws Exception {
    try (KafkaAccess kafka = connect()) {
      List<Lag> rows = lags(kafka, group);
      if (json) {
        rows.forEach(r -> out().println(new io.vertx.core.json.JsonObject()
            .put("group", r.group()).put("state", r.state()).put("members", r.members())
            .put("topic", r.topic()).put("partition", r.partition())
            .put("committed", r.committed()).put("end", r.end()).put("lag", r.lag()).encode()));
        return 0;
      }
      out().printf("%-28s %-10s %7s %-32s %9s %10s %10s %8s%n",
          "GROUP", "STATE", "MEMBERS", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
      for (Lag r : rows) {
        out().printf("%-28s %-10s %7d %-32s %9d %10d %10d %8d%n",
            r.group(), r.state(), r.members(), r.topic(), r.partition(), r.committed(), r.end(), r.lag());
      }
      return 0;
    }
  }

  static List<Lag> lags(KafkaAccess kafka, String only) throws Exception {
    Collection<ConsumerGroupListing> listings = kafka.admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
    List<String> ids = listings.stream().map(ConsumerGroupListing::groupId)
        .filter(g -> only == null || only.equals(g)).sorted().toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, ConsumerGroupDescription> descriptions = kafka.admin.describeConsumerGroups(ids).all()
        .get(10, TimeUnit.SECONDS);
    List<Lag> rows = new ArrayList<>();
    for (String id : ids) {
      Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin.listConsumerGroupOffsets(id)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      committed.values().removeIf(java.util.Objects::isNull);
      Offsets offsets = Offsets.of(kafka, committed.keySet());
      ConsumerGroupDescription d = descriptions.get(id);
      committed.forEach((tp, om) -> rows.add(new Lag(id, d.state().toString(), d.members().size(),
          tp.topic(), tp.partition(), om.offset(), offsets.end(tp))));
    }
    rows.sort(Comparator.comparing(Lag::group).thenComparing(Lag::topic).thenComparingInt(Lag::partition));
    return rows;
  }
}
