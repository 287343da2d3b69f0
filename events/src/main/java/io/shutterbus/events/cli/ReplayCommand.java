package io.shutterbus.events.cli;

import io.shutterbus.events.inspect.EventInspector;
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
  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Option(names = "--to", paramLabel = "TOPIC", required = true, description = "topic to send them to")
  String target;

  @Option(names = "--max", paramLabel = "N", description = "send at most N events")
  Integer max;

  @Option(names = "--offset", paramLabel = "N", description = "start at offset N of each partition (default: the oldest)")
  Long offset;

  @Option(names = "--partition", paramLabel = "P", description = "only partition P of SOURCE (default: all)")
  Integer partition;

  @Override
  public Integer call() throws Exception {
    try (EventInspector kafka = connect()) {
      int sent = kafka.replay(source, target, partition, offset, max, line -> out().println("replayed " + line));
      out().println(sent + " event(s) replayed from " + source + " to " + target);
      return 0;
    }
  }
}
