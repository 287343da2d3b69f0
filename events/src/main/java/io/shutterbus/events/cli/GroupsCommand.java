package io.shutterbus.events.cli;

import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.events.inspect.EventInspector.GroupLag;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events groups}: every consumer group, per partition its committed offset, the end offset and the lag. */
@Command(name = "groups", description = "Consumer groups with committed offset, end offset and lag per partition.")
final class GroupsCommand extends EventsCli.Sub {
  @Option(names = "--group", paramLabel = "G", description = "only this group")
  String group;

  @Option(names = "--json", description = "one JSON object per line")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (EventInspector kafka = connect()) {
      var rows = kafka.groups(group);
      if (!json) {
        out().printf("%-28s %-10s %7s %-32s %9s %10s %10s %8s%n",
            "GROUP", "STATE", "MEMBERS", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
      }
      for (GroupLag r : rows) {
        if (json) {
          out().println(new JsonObject().put("group", r.group()).put("state", r.state()).put("members", r.members())
              .put("topic", r.topic()).put("partition", r.partition()).put("committed", r.committed())
              .put("end", r.end()).put("lag", r.lag()).encode());
        } else {
          out().printf("%-28s %-10s %7d %-32s %9d %10d %10d %8d%n", r.group(), r.state(), r.members(), r.topic(),
              r.partition(), r.committed(), r.end(), r.lag());
        }
      }
      return 0;
    }
  }
}
