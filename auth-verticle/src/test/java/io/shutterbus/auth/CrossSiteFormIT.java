package io.shutterbus.auth;

import static io.shutterbus.auth.Accounts.COOKIE;
import static io.shutterbus.auth.Accounts.PASSWORD;
import static io.shutterbus.auth.Accounts.login;
import static io.shutterbus.auth.Accounts.problem;
import static io.shutterbus.auth.Accounts.refresh;
import static io.shutterbus.auth.Accounts.registered;
import static io.shutterbus.auth.Accounts.uniqueEmail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.events.Topics;
import io.shutterbus.testkit.Infra;
import io.shutterbus.testkit.InfraExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Login CSRF: what a cross-site {@code <form>} can send (text/plain, urlencoded, multipart) is
 * refused with 415 before anything happens, so no session is started, no account is made and no
 * session is ended on a victim's behalf.
 */
@ExtendWith(InfraExtension.class)
class CrossSiteFormIT {
  private static AuthApp app;
  private static Http http;

  @BeforeAll
  static void start(Infra infra) throws Exception {
    infra.createTopics(new Topics(infra.topicPrefix()).all(), 3);
    app = AuthApp.start(infra.env());
    http = new Http(app.port);
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    app.close();
  }

  private static String credentials(String email) {
    return new JsonObject().put("email", email).put("password", PASSWORD).encode();
  }

  @Test
  void aTextPlainLoginFormIsRefusedWith415AndStartsNoSession() {
    String email = uniqueEmail("csrf-login");
    registered(http, email);
    HttpResponse<Buffer> res = http.post("/api/auth/login", credentials(email), Map.of("content-type", "text/plain"));
    JsonObject body = problem(res, 415);
    assertTrue(body.getString("detail").contains("application/json"), body.encode());
    assertTrue(Http.setCookie(res, COOKIE).isEmpty(), "no refresh cookie for a refused login");
    assertEquals(200, login(http, email, PASSWORD).statusCode(), "the same credentials as JSON still log in");
  }

  @Test
  void aLoginWithoutContentTypeOrAsAFormIsRefusedToo() {
    String email = uniqueEmail("csrf-login-form");
    registered(http, email);
    problem(http.post("/api/auth/login", "email=" + email + "&password=x",
        Map.of("content-type", "application/x-www-form-urlencoded")), 415);
    problem(http.send(io.vertx.core.http.HttpMethod.POST, "/api/auth/login", credentials(email),
        Map.of("content-type", "multipart/form-data; boundary=x")), 415);
    assertEquals(200, http.post("/api/auth/login", credentials(email),
        Map.of("content-type", "application/json; charset=utf-8")).statusCode(), "a charset parameter is fine");
  }

  @Test
  void aTextPlainRegisterFormIsRefusedAndMakesNoAccount() {
    String email = uniqueEmail("csrf-register");
    String body = new JsonObject().put("email", email).put("name", "Mallory").put("password", PASSWORD).encode();
    problem(http.post("/api/auth/register", body, Map.of("content-type", "text/plain")), 415);
    problem(login(http, email, PASSWORD), 401);
  }

  @Test
  void aFormPostedToRefreshOrLogoutIsRefusedAndTheSessionLivesOn() {
    String email = uniqueEmail("csrf-session");
    registered(http, email);
    String cookie = Http.cookieValue(login(http, email, PASSWORD), COOKIE).orElseThrow();
    Map<String, String> form = Map.of("content-type", "text/plain", "cookie", COOKIE + "=" + cookie);
    problem(http.post("/api/auth/logout", "", form), 415);
    problem(http.post("/api/auth/refresh", "", form), 415);
    HttpResponse<Buffer> refreshed = refresh(http, cookie);
    assertEquals(200, refreshed.statusCode(), "neither refused form rotated nor revoked the session: "
        + refreshed.bodyAsString());
    String next = Http.cookieValue(refreshed, COOKIE).orElseThrow();
    HttpResponse<Buffer> noBody = http.send(io.vertx.core.http.HttpMethod.POST, "/api/auth/logout", null,
        Map.of("cookie", COOKIE + "=" + next));
    assertEquals(204, noBody.statusCode(), "a logout with no body and no Content-Type is what the portal sends");
  }
}
