package io.shutterbus.events.inspect;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Earliest and latest offsets of a set of partitions, read once. */
public record Offsets(Map<TopicPartition, Long> begins, Map<TopicPartition, Long> ends) {

  public static Offsets of(KafkaAccess kafka, Collection<TopicPartition> partitions) throws Exception {
    return new Offsets(query(kafka, partitions, OffsetSpec.earliest()), query(kafka, partitions, OffsetSpec.latest()));
  }

  private static Map<TopicPartition, Long> query(KafkaAccess kafka, Collection<TopicPartition> partitions,
                                                 OffsetSpec spec) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(p, spec));
    Map<TopicPartition, ListOffsetsResultInfo> result = kafka.admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    result.forEach((p, info) -> offsets.put(p, info.offset()));
    return offsets;
  }

  public long begin(TopicPartition p) {
    return begins.getOrDefault(p, 0L);
  }

  public long end(TopicPartition p) {
    return ends.getOrDefault(p, 0L);
  }
}
