package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.badField;
import static io.shutterbus.auth.Accounts.problem;
import static io.shutterbus.auth.Accounts.register;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.EventEnvelope;
import io.shutterbus.events.Topics;
import io.shutterbus.events.UserRegistered;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.shutterbus.testkit.Settled;
import io.shutterbus.testkit.TestKafka;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class RegistrationIT {
  private static AuthApp app;
  private static Http http;
  private static String topic;
  private static String bootstrap;
  private static Settled settled;

  @BeforeAll
  static void start(Infra infra) throws Exception {
    settled = Settled.on(infra.bootstrapServers()).outbox(infra, "auth");
    topic = infra.topicPrefix() + Topics.USERS_REGISTERED;
    bootstrap = infra.bootstrapServers();
    infra.createTopics(List.of(topic), 3);
    app = AuthApp.start(infra.env());
    http = new Http(app.port);
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    app.close();
  }

  @Test
  void registerAnswers201WithTheNormalisedAccount() {
    String email = uniqueEmail("Bob");
    HttpResponse<Buffer> res = register(http, "  " + email.toUpperCase() + " ", "  Bob Builder ", PASSWORD);
    assertEquals(201, res.statusCode(), res.bodyAsString());
    JsonObject body = res.bodyAsJsonObject();
    assertEquals(email.toLowerCase(), body.getString("email"));
    assertEquals("Bob Builder", body.getString("name"));
    UUID.fromString(body.getString("id"));
    Instant.parse(body.getString("createdAt"));
    assertEquals(Set.of("id", "email", "name", "createdAt"), body.fieldNames());
  }

  @Test
  void malformedJsonIs400() {
    for (String bad : List.of("{", "{\"email\": ", "email=a@b.c", "{\"email\": \"a@example.com\",}")) {
      JsonObject p = problem(http.post("/api/auth/register", bad, Map.of()), 400);
      assertTrue(p.getString("detail").contains("JSON"), p.encode());
    }
  }

  @Test
  void aBodyThatIsNotAJsonObjectIs400() {
    for (String bad : List.of("[]", "\"text\"", "42", "null", "")) {
      problem(http.post("/api/auth/register", bad, Map.of()), 400);
    }
  }

  @Test
  void eachMissingFieldIs400NamingIt() {
    JsonObject full = new JsonObject().put("email", uniqueEmail("m")).put("name", "M").put("password", PASSWORD);
    for (String field : List.of("email", "name", "password")) {
      JsonObject body = full.copy();
      body.remove(field);
      badField(http.postJson("/api/auth/register", body), field);
      badField(http.postJson("/api/auth/register", full.copy().put(field, "   ")), field);
      badField(http.postJson("/api/auth/register", full.copy().putNull(field)), field);
    }
  }

  @Test
  void fieldsOfTheWrongTypeAre400NamingThem() {
    badField(http.postJson("/api/auth/register",
        new JsonObject().put("email", 42).put("name", "N").put("password", PASSWORD)), "email");
    badField(http.postJson("/api/auth/register",
        new JsonObject().put("email", uniqueEmail("t")).put("name", new JsonObject()).put("password", PASSWORD)), "name");
    badField(http.postJson("/api/auth/register",
        new JsonObject().put("email", uniqueEmail("t")).put("name", "N").put("password", List.of("x"))), "password");
  }

  @Test
  void oversizedFieldsAre400NamingThem() {
    badField(register(http, uniqueEmail("o"), "n".repeat(101), PASSWORD), "name");
    assertEquals(201, register(http, uniqueEmail("o"), "n".repeat(100), PASSWORD).statusCode());
    badField(register(http, uniqueEmail("o"), "N", "p".repeat(129)), "password");
    assertEquals(201, register(http, uniqueEmail("o"), "N", "p".repeat(128)).statusCode());
    String longEmail = "a".repeat(64) + "@" + ("d".repeat(63) + ".").repeat(3) + "com";  // 260 characters
    assertTrue(badField(register(http, longEmail, "N", PASSWORD), "email").getString("detail").contains("254"));
  }

  @Test
  void invalidEmailAddressesAre400() {
    for (String bad : List.of("not-an-email", "a@b", "a b@example.com", "a@@example.com", "@example.com",
        "a@example..com", "a@-example.com", "<script>@example.com")) {
      badField(register(http, bad, "N", PASSWORD), "email");
    }
  }

  @Test
  void weakPasswordsAre400NamingPassword() {
    String email = uniqueEmail("weak");
    JsonObject p = badField(register(http, email, "N", "short123!"), "password");
    assertTrue(p.getString("detail").contains("10"), p.encode());
    badField(register(http, email, "N", email.toUpperCase()), "password");
    badField(register(http, email, "Long Enough Name", "long enough name"), "password");
    assertEquals(201, register(http, email, "N", "ten chars!").statusCode(), "no composition rules");
  }

  @Test
  void theSameEmailInAnotherLetterCaseIs409() {
    String local = "alice-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, register(http, local + "@example.com", "Alice", PASSWORD).statusCode());
    JsonObject p = problem(register(http, capitalize(local) + "@Example.com", "Alice Again", PASSWORD), 409);
    assertEquals("email", p.getString("field"));
    assertFalse(p.encode().contains(PASSWORD));
  }

  @Test
  void sqlLookingAndHtmlLookingNamesAreStoredAndReturnedLiterally() {
    for (String name : List.of("Robert'); DROP TABLE auth.users;--", "<script>alert('x')</script>",
        "\" OR 1=1 --", "<img src=x onerror=alert(1)>&amp;")) {
      String email = uniqueEmail("lit");
      HttpResponse<Buffer> res = register(http, email, name, PASSWORD);
      assertEquals(201, res.statusCode(), res.bodyAsString());
      assertEquals(name, res.bodyAsJsonObject().getString("name"));
      String token = Accounts.login(http, email, PASSWORD).bodyAsJsonObject().getString("accessToken");
      HttpResponse<Buffer> me = Accounts.me(http, token);
      assertEquals(200, me.statusCode(), me.bodyAsString());
      assertEquals(name, me.bodyAsJsonObject().getString("name"));
      assertEquals("application/json", me.getHeader("content-type"));
    }
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String body = new JsonObject().put("email", uniqueEmail("big")).put("name", "N")
        .put("password", PASSWORD).put("padding", "x".repeat(17 * 1024)).encode();
    problem(http.post("/api/auth/register", body, Map.of()), 413);
  }

  @Test
  void everyRegistrationPublishesExactlyOneUsersRegisteredWithoutSecrets() {
    Map<String, String> emailsById = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      String email = uniqueEmail("evt");
      emailsById.put(Accounts.registered(http, email), email);
    }
    String first = emailsById.values().iterator().next();
    assertEquals(409, register(http, first.toUpperCase(), "Dup", PASSWORD).statusCode());

    settled.await(Duration.ofSeconds(30));  // the outbox drained: a duplicate would be on the topic by now
    List<ConsumerRecord<String, String>> records = TestKafka.readToEnd(bootstrap, topic);
    for (Map.Entry<String, String> account : emailsById.entrySet()) {
      List<ConsumerRecord<String, String>> mine = records.stream().filter(r -> account.getKey().equals(r.key())).toList();
      assertEquals(1, mine.size(), "one event for " + account.getValue());
      ConsumerRecord<String, String> r = mine.get(0);
      assertEquals("1.0", TestKafka.header(r, "ce_specversion"));
      assertEquals(UserRegistered.TYPE, TestKafka.header(r, "ce_type"));
      assertEquals("/shutterbus/auth", TestKafka.header(r, "ce_source"));
      assertEquals(account.getKey(), TestKafka.header(r, "ce_subject"));
      assertNotNull(TestKafka.header(r, "ce_id"));
      assertNotNull(TestKafka.header(r, "ce_time"));
      assertEquals("application/json", TestKafka.header(r, "content-type"));
      Map<String, String> headers = new HashMap<>();
      r.headers().forEach(h -> headers.put(h.key(), new String(h.value())));
      UserRegistered event = (UserRegistered) io.shutterbus.events.DomainEvent.decode(
          EventEnvelope.fromParts(r.topic(), r.key(), headers, r.value()));
      assertEquals(account.getValue(), event.email());
      assertEquals(Set.of("userId", "email", "name", "createdAt"), new JsonObject(r.value()).fieldNames());
      String everything = r.value() + headers;
      assertFalse(everything.contains(PASSWORD), "no password in the event");
      assertFalse(everything.contains("argon2"), "no hash in the event");
      assertFalse(everything.toLowerCase().contains("password"), "no password field in the event");
    }
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
