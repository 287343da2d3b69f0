package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.COOKIE;
import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.admin;
import static io.shutterbus.auth.Accounts.login;
import static io.shutterbus.auth.Accounts.refresh;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.kit.config.Env;
import io.shutterbus.kit.config.PgSettings;
import io.shutterbus.kit.db.PgPools;
import io.shutterbus.testkit.FreePorts;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin role comes only from an operator's {@code bin/admin grant}, bound to the account (not
 * to an address someone could register), shows up at the next refresh, goes with {@code revoke},
 * and every change is logged with its operator.
 */
@ExtendWith(InfraExtension.class)
class AdminRolesIT {
  private static AuthApp app;
  private static Http http;
  private static Map<String, String> env;

  @BeforeAll
  static void start(Infra infra) throws Exception {
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    env = infra.env();
    app = AuthApp.start(env);
    http = new Http(app.port);
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    app.close();
  }

  private static JsonArray roles(HttpResponse<Buffer> tokenAnswer) {
    assertEquals(200, tokenAnswer.statusCode(), tokenAnswer.bodyAsString());
    return SessionIT.claims(tokenAnswer.bodyAsJsonObject().getString("accessToken")).getJsonArray("roles");
  }

  @Test
  void registeringAnyAddressGivesOnlyTheUserRole() {
    for (String email : new String[]{"admin-" + uniqueEmail("x"), uniqueEmail("root")}) {
      registered(http, email);
      assertEquals(new JsonArray().add("user"), roles(login(http, email, PASSWORD)));
    }
  }

  @Test
  void aGrantShowsAtTheNextRefreshAndARevokeTakesItAwayBothLogged() throws Exception {
    String email = uniqueEmail("ops");
    String id = registered(http, email);
    HttpResponse<Buffer> session = login(http, email, PASSWORD);
    assertEquals(new JsonArray().add("user"), roles(session));
    String cookie = Http.cookieValue(session, COOKIE).orElseThrow();

    String[] granted = admin(env, "--by", "alice", "grant", email.toUpperCase());
    assertEquals("0", granted[0], granted[2]);
    assertTrue(granted[1].contains("granted admin to " + email.toUpperCase()) && granted[1].contains("by alice"), granted[1]);
    HttpResponse<Buffer> refreshed = refresh(http, cookie);
    assertEquals(new JsonArray().add("user").add("admin"), roles(refreshed));
    String[] again = admin(env, "--by", "alice", "grant", email);
    assertEquals("0", again[0]);
    assertTrue(again[1].contains("already an administrator"), again[1]);

    String[] list = admin(env, "list");
    assertEquals("0", list[0], list[2]);
    assertTrue(list[1].lines().anyMatch(l -> l.startsWith(email + "\tadmin\t") && l.endsWith("\talice")), list[1]);

    String[] revoked = admin(env, "--by", "bob", "revoke", email);
    assertEquals("0", revoked[0], revoked[2]);
    HttpResponse<Buffer> after = refresh(http, Http.cookieValue(refreshed, COOKIE).orElseThrow());
    assertEquals(new JsonArray().add("user"), roles(after));
    assertEquals(new JsonArray().add("user"), roles(login(http, email, PASSWORD)));
    assertTrue(admin(env, "list")[1].lines().noneMatch(l -> l.startsWith(email + "\t")));

    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, PgSettings.fromEnv(Env.of(env)), "admin-roles-it", 1);
    try {
      var rows = pool.preparedQuery("select action, operator, email from auth.role_changes where user_id = $1 order by id")
          .execute(Tuple.of(java.util.UUID.fromString(id))).await(10, TimeUnit.SECONDS);
      StringBuilder trail = new StringBuilder();
      for (Row r : rows) {
        trail.append(r.getString("action")).append(' ').append(r.getString("operator")).append(' ')
            .append(r.getString("email")).append(';');
      }
      assertEquals("grant alice " + email + ";revoke bob " + email + ";", trail.toString(), "one audit row per change");
    } finally {
      pool.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anAddressWithoutAnAccountCannotBeGrantedInAdvance() {
    String email = uniqueEmail("later");
    String[] run = admin(env, "grant", email);
    assertEquals("4", run[0], run[1]);
    assertTrue(run[2].contains("no account with the e-mail address " + email), run[2]);
    registered(http, email);
    assertEquals(new JsonArray().add("user"), roles(login(http, email, PASSWORD)), "registering later claims nothing");
  }

  @Test
  void anUnreachableDatabaseExits3NamingIt() {
    Map<String, String> nowhere = new HashMap<>(env);
    int closed = FreePorts.next();
    nowhere.put("PG_PORT", Integer.toString(closed));
    String[] run = admin(nowhere, "list");
    assertEquals("3", run[0], run[1] + run[2]);
    assertTrue(run[2].contains(":" + closed + "/"), run[2]);
  }
}
