package io.shutterbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes and reads back a row and a Kafka record through what {@link Infra} hands out. */
final class InfraRoundTrip {
  private InfraRoundTrip() {
  }

  static void check(Infra infra) throws Exception {
    String url = "jdbc:postgresql://" + infra.pgHost() + ":" + infra.pgPort() + "/" + infra.pgDatabase();
    try (Connection c = DriverManager.getConnection(url, infra.pgUser(), infra.pgPassword());
         Statement s = c.createStatement()) {
      s.execute("create table probe (v text)");
      s.execute("insert into probe values ('row')");
      try (ResultSet rs = s.executeQuery("select v from probe")) {
        rs.next();
        assertEquals("row", rs.getString(1));
      }
    }
    String topic = infra.topicPrefix() + "probe";
    infra.createTopics(List.of(topic), 1);
    Properties p = new Properties();
    p.put("bootstrap.servers", infra.bootstrapServers());
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(10, TimeUnit.SECONDS);
    }
    try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(10));
      assertEquals(1, records.count());
    }
  }
}
