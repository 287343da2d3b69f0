package io.shutterbus.events.cli;

import io.shutterbus.events.inspect.EventInspector;
import io.shutterbus.events.inspect.KafkaUnreachableException;
import io.shutterbus.events.inspect.NoSuchTopicException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code events}: see what flows through Shutterbus's Kafka, find one event, see who lags behind,
 * re-drive dead letters. Exit codes: 0 done, 2 bad usage, 3 Kafka unreachable, 4 no such topic.
 */
@Command(name = "events", mixinStandardHelpOptions = true, version = "shutterbus events 0.1",
    description = "Inspect Shutterbus events in Kafka. E-mail addresses are masked unless --unmask.",
    subcommands = {TopicsCommand.class, TailCommand.class, GroupsCommand.class, ReplayCommand.class})
public final class EventsCli implements Callable<Integer> {
  static final int UNREACHABLE = 3;
  static final int NO_SUCH_TOPIC = 4;

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
      description = "Kafka to inspect (default: $KAFKA_BOOTSTRAP_SERVERS, else the embedded broker 127.0.0.1:19092)")
  String bootstrapServer;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  PrintWriter out;
  PrintWriter err;

  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return CommandLine.ExitCode.USAGE;
  }

  String bootstrap() {
    if (bootstrapServer != null && !bootstrapServer.isBlank()) {
      return bootstrapServer;
    }
    String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    return env != null && !env.isBlank() ? env : "127.0.0.1:19092";
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    EventsCli cli = new EventsCli();
    cli.out = out;
    cli.err = err;
    CommandLine cmd = new CommandLine(cli);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((ex, line, parse) -> {
      if (ex instanceof KafkaUnreachableException || ex instanceof NoSuchTopicException) {
        err.println("events: " + ex.getMessage() + (ex instanceof NoSuchTopicException ? " (see: events topics)" : ""));
        err.flush();
        return ex instanceof NoSuchTopicException ? NO_SUCH_TOPIC : UNREACHABLE;
      }
      throw ex;
    });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    quietLogs();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  /** A CLI speaks through its output and exit code; the Kafka clients' connection chatter is not for the user. */
  private static void quietLogs() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.ERROR);
      ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.OFF);
    }
  }

  /** Shared by the subcommands: the parent's options and streams. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    EventsCli parent;

    @Option(names = "--unmask", description = "show e-mail addresses in full")
    boolean unmask;

    PrintWriter out() {
      return parent.out;
    }

    EventInspector connect() {
      return EventInspector.connect(parent.bootstrap());
    }
  }
}
