package io.shutterbus.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** The servers one test JVM shares: where PostgreSQL and Kafka are, and how to carve out a class's share. */
abstract class Servers implements AutoCloseable {
  abstract String name();

  abstract String pgHost();

  abstract int pgPort();

  abstract String pgUser();

  abstract String pgPassword();

  abstract String bootstrapServers();

  void createDatabase(String database) {
    String url = "jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/postgres";
    try (Connection c = DriverManager.getConnection(url, pgUser(), pgPassword()); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("create database " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + database, e);
    }
  }

  void createTopics(Collection<String> topics, int partitions) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      List<NewTopic> newTopics = topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList();
      for (var entry : admin.createTopics(newTopics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topics in time", e);
    }
  }
}
