package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.login;
import static io.shutterbus.auth.Accounts.problem;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.embedded.EmbeddedPostgres;
import io.shutterbus.events.Topics;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL stopped under a running service: fast 503s naming it, and recovery without a restart. */
@ExtendWith(InfraExtension.class)
class PostgresOutageIT {

  @Test
  void loginAnswers503WithinTwoSecondsWhileThePostgresIsDownAndWorksAgainAfter(Infra infra, @TempDir Path dir)
      throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), FreePorts.next());
    pg.createDatabase("auth_outage");
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    Map<String, String> env = new HashMap<>(infra.env());
    env.putAll(Map.of("PG_HOST", "127.0.0.1", "PG_PORT", Integer.toString(pg.port()), "PG_DATABASE", "auth_outage",
        "PG_USER", EmbeddedPostgres.SUPERUSER, "PG_PASSWORD", "trusted-loopback"));
    try (AuthApp app = AuthApp.start(env); Http http = new Http(app.port)) {
      String email = uniqueEmail("outage");
      registered(http, email);
      assertEquals(200, login(http, email, PASSWORD).statusCode());

      pg.stop();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        HttpResponse<Buffer> res = login(http, email, PASSWORD);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonObject p = problem(res, 503);
        assertEquals("postgresql", p.getString("dependency"), p.encode());
        assertTrue(ms < 2000, "503 after " + ms + " ms");
      }
      problem(Accounts.register(http, uniqueEmail("down"), "Down", PASSWORD), 503);
      HttpResponse<Buffer> ready = http.getOn(app.managementPort, "/health/ready");
      assertEquals(503, ready.statusCode(), ready.bodyAsString());

      pg.start();
      HttpResponse<Buffer> again = null;
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline) {
        again = login(http, email, PASSWORD);
        if (again.statusCode() == 200) {
          break;
        }
        Thread.sleep(250);
      }
      assertEquals(200, again.statusCode(), again.bodyAsString());
      assertEquals(201, Accounts.register(http, uniqueEmail("after"), "After", PASSWORD).statusCode());
      assertEquals(200, http.getOn(app.managementPort, "/health/ready").statusCode());
    } finally {
      pg.close();
    }
  }
}
