package io.shutterbus.events.cli;

import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.events.inspect.EventQuery;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code events tail TOPIC}: the last 10 events of each partition by default, or from where the
 * options say, filtered, as text or JSON lines; {@code --follow} keeps waiting for new ones.
 */
@Command(name = "tail", description = "Print events of a topic (default: the last 10 per partition).")
final class TailCommand extends EventsCli.Sub {
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
    EventQuery query;
    try {
      Instant sinceTime = since == null ? null : EventQuery.parseSince(since, Instant.now());
      query = new EventQuery(topic, partition, fromBeginning, offset, sinceTime, 10, key, grep, max, follow, unmask);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (EventInspector kafka = connect()) {
      kafka.read(query, view -> {
        out().println(json ? view.toJson().encode() : view.toLine());
        out().flush();
      }, () -> false);
      return 0;
    }
  }
}
