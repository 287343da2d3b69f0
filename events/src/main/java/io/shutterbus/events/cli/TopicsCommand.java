package io.shutterbus.events.cli;

import io.shutterbus.events.inspect.EventInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events topics}: every topic with partitions, end offsets and message counts. */
@Command(name = "topics", description = "List topics: partitions, end offsets and message counts.")
final class TopicsCommand extends EventsCli.Sub {
  @Option(names = "--all", description = "include Kafka's internal topics")
  boolean all;

  @Override
  public Integer call() throws Exception {
    try (EventInspector kafka = connect()) {
      out().printf("%-40s %10s %14s %14s%n", "TOPIC", "PARTITIONS", "END OFFSETS", "MESSAGES");
      for (EventInspector.TopicStats t : kafka.topics(all)) {
        out().printf("%-40s %10d %14d %14d%n", t.name(), t.partitions(), t.endOffsets(), t.messages());
      }
      return 0;
    }
  }
}
