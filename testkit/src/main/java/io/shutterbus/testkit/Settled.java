package io.shutterbus.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the event pipeline is at rest, so that a test counts what happened instead of
 * guessing how long to wait: every row of the named outboxes is sent (or parked), every named
 * consumer group has committed up to the end of each of its partitions, and neither changed while
 * this looked. Then "exactly one record" and "no duplicate" are facts: anything the relay or a
 * consumer would still send is already on the topic.
 *
 * <pre>
 * Settled.on(bootstrap).outbox(jdbcUrl, user, password, "auth").groups("image").await(Duration.ofSeconds(60));
 * List&lt;ConsumerRecord&lt;String, String&gt;&gt; all = TestKafka.readToEnd(bootstrap, topic);
 * </pre>
 */
public final class Settled {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,40}");
  private final String bootstrapServers;
  private final List<String> schemas = new ArrayList<>();
  private final List<String> groups = new ArrayList<>();
  private String topicPrefix = "";
  private String jdbcUrl;
  private String user;
  private String password;

  private Settled(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public static Settled on(String bootstrapServers) {
    return new Settled(bootstrapServers);
  }

  /** Waits for these schemas' outboxes ({@code <schema>.outbox}) to hold no row waiting to be sent. */
  public Settled outbox(String jdbcUrl, String user, String password, String... schemas) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    for (String s : schemas) {
      if (!SCHEMA.matcher(s).matches()) {
        throw new IllegalArgumentException("not a schema name: " + s);
      }
      this.schemas.add(s);
    }
    return this;
  }

  /** The same, for a test class's database from {@link InfraExtension}. */
  public Settled outbox(Infra infra, String... schemas) {
    return outbox("jdbc:postgresql://" + infra.pgHost() + ":" + infra.pgPort() + "/" + infra.pgDatabase(),
        infra.pgUser(), infra.pgPassword(), schemas);
  }

  /** Waits for these consumer groups to have no lag on any partition they read. */
  public Settled groups(String... groups) {
    this.groups.addAll(List.of(groups));
    return this;
  }

  /**
   * Looks at the groups' partitions of topics starting with {@code prefix} only: group names are
   * fixed, so on a broker shared by test classes a group also holds other classes' offsets.
   */
  public Settled topicsStartingWith(String prefix) {
    this.topicPrefix = prefix;
    return this;
  }

  /** Returns once everything is at rest; fails the test with what still moves after {@code timeout}. */
  public void await(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastState = "not checked";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, Long> before = lags(admin);
        long pending = pendingRows();
        Map<TopicPartition, Long> after = lags(admin);
        boolean idle = pending == 0 && before.values().stream().allMatch(l -> l == 0) && before.equals(after);
        if (idle) {
          return;
        }
        lastState = "outbox rows waiting: " + pending + ", lag: " + after;
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the pipeline to settle", e);
    }
    throw new AssertionError("the event pipeline did not settle within " + timeout + " (" + lastState + ")");
  }

  private long pendingRows() {
    if (schemas.isEmpty()) {
      return 0;
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
      long pending = 0;
      for (String schema : schemas) {
        // parked_at may not exist in an outbox made before parking: then every unsent row waits.
        try (ResultSet cols = s.executeQuery("select count(*) from information_schema.columns where table_schema = '"
            + schema + "' and table_name = 'outbox' and column_name = 'parked_at'")) {
          cols.next();
          String parked = cols.getInt(1) > 0 ? " and parked_at is null" : "";
          try (ResultSet rs = s.executeQuery("select count(*) from " + schema + ".outbox where sent_at is null" + parked)) {
            rs.next();
            pending += rs.getLong(1);
          }
        }
      }
      return pending;
    } catch (SQLException e) {
      throw new AssertionError("cannot read the outbox: " + e.getMessage(), e);
    }
  }

  /** Lag per partition of every named group: end offset minus committed offset (or minus 0 if none). */
  private Map<TopicPartition, Long> lags(Admin admin) throws InterruptedException {
    Map<TopicPartition, Long> lag = new HashMap<>();
    if (groups.isEmpty()) {
      return lag;
    }
    try {
      Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
          .get(10, TimeUnit.SECONDS);
      for (String group : groups) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        for (MemberDescription m : described.get(group).members()) {
          partitions.addAll(m.assignment().topicPartitions());
        }
        partitions.removeIf(tp -> !tp.topic().startsWith(topicPrefix));
        if (partitions.isEmpty()) {
          lag.put(new TopicPartition("group " + group + " reads nothing yet", 0), 1L);
          continue;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        for (TopicPartition tp : partitions) {
          OffsetAndMetadata c = committed.get(tp);
          long behind = ends.get(tp).offset() - (c == null ? 0 : c.offset());
          lag.merge(new TopicPartition(group + "/" + tp.topic(), tp.partition()), behind, Long::sum);
        }
      }
      return lag;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      lag.put(new TopicPartition("kafka unreachable: " + e, 0), 1L);
      return lag;
    }
  }
}
