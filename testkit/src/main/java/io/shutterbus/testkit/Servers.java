package io.shutterbus.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

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
    TestKafka.createTopics(bootstrapServers(), topics, partitions);
  }

}
